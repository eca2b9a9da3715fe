from cityexchange.matching.tokenize import detect_language, normalise, script_of, tokenize


def test_latin_words_are_casefolded_and_nfkc_normalised():
    assert tokenize("Smart ＣＩＴＹ lighting, 2024!") == ["smart", "city", "lighting", "2024"]


def test_cyrillic_words():
    assert tokenize("Умный город: освещение") == ["умный", "город", "освещение"]


def test_devanagari_words_keep_their_vowel_signs():
    # Python's \w stops at combining vowel signs; a Hindi word must stay whole.
    assert tokenize("स्मार्ट शहर") == ["स्मार्ट", "शहर"]


def test_arabic_diacritics_and_alef_forms_are_unified():
    assert tokenize("إدارة المياه") == tokenize("ادارة المِياه")


def test_chinese_becomes_overlapping_bigrams():
    assert tokenize("智慧城市") == ["智慧", "慧城", "城市"]


def test_single_han_character_stays_a_token():
    assert tokenize("水") == ["水"]


def test_thai_ngrams_never_start_with_a_combining_mark():
    tokens = tokenize("น้ำประปา")
    assert tokens
    assert all(
        normalise(t)[0] not in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49\u0e4a\u0e4b"
        for t in tokens
    )
    assert "ประ" in tokens or "ปร" in tokens


def test_mixed_script_word_is_split_by_script():
    assert tokenize("COVID疫苗") == ["covid", "疫苗"]


def test_script_of():
    assert script_of("ж") == "cyrillic"
    assert script_of("ق") == "arabic"
    assert script_of("ก") == "thai"
    assert script_of("1") is None


def test_detect_language_by_script():
    assert detect_language("Как город сократил отходы?") == "ru"
    assert detect_language("城市如何减少垃圾？") == "zh"
    assert detect_language("शहर ने कचरा कैसे कम किया?") == "hi"
    assert detect_language("เมืองลดขยะได้อย่างไร") == "th"
    assert detect_language("የከተማ ውሃ አቅርቦት") == "am"
    assert detect_language("كيف خفضت المدينة النفايات؟") == "ar"
    assert detect_language("شهر چگونه پسماند را کاهش داد؟") == "fa"


def test_detect_language_latin_by_letters_and_stopwords():
    assert detect_language("Thành phố đã giảm rác thải như thế nào?") == "vi"
    assert detect_language("Como a cidade reduziu o lixo não reciclável?") == "pt"
    assert detect_language("Bagaimana kota mengurangi sampah yang ada di sungai?") == "id"
    assert detect_language("How did the city reduce the waste of its markets?") == "en"


def test_detect_language_default_for_no_letters():
    assert detect_language("2024 - 15%", default="en") == "en"
