# ruff: noqa: E501 - prose in scripts of double width; lines are split at phrases, not at a column
"""The demo's statutes and rules of procedure in the UI languages the demo's first texts did not cover, so every
reader finds the association's documents in their own language."""

from __future__ import annotations

STATUTES_MORE: dict[str, tuple[str, str]] = {
    "zh": (
        "协会章程",
        "第一条 名称和所在地\n金砖+国家城市与市政协会联合希望交流技术和最佳实践的城市。\n\n"
        "第二条 成员\n成员国或伙伴国的任何城市均可提出申请。全体大会在半数成员城市参加表决的情况下，以所投票数的简单多数"
        "接纳新成员。\n\n"
        "第三条 机构\n协会的机构为：全体大会，每个成员城市拥有一票，由其协调员或指定代表投出；由全体大会选举、任期两年的"
        "五个成员城市组成的理事会；以及秘书处。\n\n"
        "第四条 决定\n决定以所投票数的简单多数作出，本章程另有规定的，以三分之二多数作出。弃权票计入法定人数，但不计入多数。",
    ),
    "hi": (
        "संघ का संविधान",
        "अनुच्छेद 1. नाम और मुख्यालय\nब्रिक्स+ देशों के शहरों और नगरपालिकाओं का संघ उन शहरों को एक साथ लाता है जो "
        "प्रौद्योगिकियों और सर्वोत्तम प्रथाओं का आदान-प्रदान करना चाहते हैं।\n\n"
        "अनुच्छेद 2. सदस्य\nकिसी सदस्य या साझेदार देश का कोई भी शहर आवेदन कर सकता है। महासभा डाले गए मतों के साधारण "
        "बहुमत से नए सदस्यों को शामिल करती है, बशर्ते आधे सदस्य शहर मतदान में भाग लें।\n\n"
        "अनुच्छेद 3. निकाय\nसंघ के निकाय हैं: महासभा, जिसमें हर सदस्य शहर का एक मत होता है, जिसे उसका समन्वयक या नामित "
        "प्रतिनिधि डालता है; दो वर्ष के लिए चुने गए पाँच सदस्य शहरों का कार्यकारी मंडल; और सचिवालय।\n\n"
        "अनुच्छेद 4. निर्णय\nनिर्णय डाले गए मतों के साधारण बहुमत से, या जहाँ यह संविधान कहता है, दो-तिहाई बहुमत से लिए "
        "जाते हैं। मतदान से विरत रहने वाले कोरम में गिने जाते हैं, बहुमत में नहीं।",
    ),
    "ar": (
        "النظام الأساسي للرابطة",
        "المادة 1. الاسم والمقر\nتجمع رابطة مدن وبلديات دول بريكس+ المدن الراغبة في تبادل التقنيات وأفضل الممارسات.\n\n"
        "المادة 2. الأعضاء\nيجوز لأي مدينة في دولة عضو أو دولة شريكة أن تتقدم بطلب العضوية. وتقبل الجمعية العامة الأعضاء "
        "الجدد بالأغلبية البسيطة للأصوات المدلى بها، بشرط مشاركة نصف المدن الأعضاء.\n\n"
        "المادة 3. الهيئات\nهيئات الرابطة هي: الجمعية العامة، ولكل مدينة عضو فيها صوت واحد يدلي به منسقها أو مندوب مسمّى؛ "
        "ومجلس الإدارة المؤلف من خمس مدن أعضاء تُنتخب لمدة سنتين؛ والأمانة العامة.\n\n"
        "المادة 4. القرارات\nتُتخذ القرارات بالأغلبية البسيطة للأصوات المدلى بها، أو بأغلبية الثلثين حيث ينص هذا النظام على "
        "ذلك. ويُحتسب الممتنعون في النصاب ولا يُحتسبون في الأغلبية.",
    ),
    "fa": (
        "اساسنامهٔ انجمن",
        "مادهٔ ۱. نام و مقر\nانجمن شهرها و شهرداری‌های کشورهای بریکس+ شهرهایی را گرد هم می‌آورد که خواهان تبادل فناوری‌ها و "
        "بهترین تجربه‌ها هستند.\n\n"
        "مادهٔ ۲. اعضا\nهر شهری از یک کشور عضو یا شریک می‌تواند درخواست عضویت دهد. مجمع عمومی اعضای تازه را با اکثریت ساده "
        "آرای مأخوذه می‌پذیرد، به شرط آنکه نیمی از شهرهای عضو در رأی‌گیری شرکت کنند.\n\n"
        "مادهٔ ۳. ارکان\nارکان انجمن عبارت‌اند از: مجمع عمومی که هر شهر عضو در آن یک رأی دارد که هماهنگ‌کننده یا نمایندهٔ "
        "معرفی‌شدهٔ آن شهر می‌دهد؛ هیئت مدیره مرکب از پنج شهر عضو که برای دو سال انتخاب می‌شوند؛ و دبیرخانه.\n\n"
        "مادهٔ ۴. تصمیم‌ها\nتصمیم‌ها با اکثریت ساده آرای مأخوذه یا، هر جا این اساسنامه مقرر کند، با دو سوم آرا گرفته می‌شود. "
        "آرای ممتنع در حد نصاب شمرده می‌شود ولی در اکثریت نه.",
    ),
    "id": (
        "Anggaran Dasar Asosiasi",
        "Pasal 1. Nama dan kedudukan\nAsosiasi Kota dan Munisipalitas Negara-Negara BRICS+ menghimpun kota-kota yang "
        "ingin bertukar teknologi dan praktik terbaik.\n\n"
        "Pasal 2. Anggota\nSetiap kota dari negara anggota atau negara mitra dapat mengajukan permohonan. Majelis Umum "
        "menerima anggota baru dengan suara terbanyak sederhana dari suara yang diberikan, asalkan separuh kota anggota "
        "ikut memberikan suara.\n\n"
        "Pasal 3. Badan\nBadan-badan Asosiasi adalah Majelis Umum, tempat setiap kota anggota memiliki satu suara yang "
        "diberikan oleh koordinatornya atau delegasi yang ditunjuk; Dewan Pengurus yang terdiri atas lima kota anggota "
        "yang dipilih untuk dua tahun; dan Sekretariat.\n\n"
        "Pasal 4. Keputusan\nKeputusan diambil dengan suara terbanyak sederhana atau, bila anggaran dasar ini "
        "menentukan, dengan dua pertiga suara yang diberikan. Suara abstain dihitung untuk kuorum, tetapi tidak untuk "
        "suara terbanyak.",
    ),
    "es": (
        "Estatutos de la Asociación",
        "Artículo 1. Nombre y sede\nLa Asociación de Ciudades y Municipios de los Países BRICS+ reúne a las ciudades "
        "que desean intercambiar tecnologías y buenas prácticas.\n\n"
        "Artículo 2. Miembros\nCualquier ciudad de un país miembro o socio puede presentar su solicitud. La Asamblea "
        "General admite a los nuevos miembros por mayoría simple de los votos emitidos, siempre que participe la mitad "
        "de las ciudades miembros.\n\n"
        "Artículo 3. Órganos\nLos órganos de la Asociación son la Asamblea General, en la que cada ciudad miembro tiene "
        "un voto, emitido por su coordinador o por un delegado designado; la Junta Directiva, formada por cinco "
        "ciudades miembros elegidas por dos años; y la Secretaría.\n\n"
        "Artículo 4. Decisiones\nLas decisiones se toman por mayoría simple o, cuando estos estatutos así lo "
        "establecen, por dos tercios de los votos emitidos. Las abstenciones cuentan para el quórum, pero no para la "
        "mayoría.",
    ),
    "th": (
        "ข้อบังคับของสมาคม",
        "ข้อ 1. ชื่อและที่ตั้ง\nสมาคมเมืองและเทศบาลของประเทศกลุ่มบริกส์+ รวมเมืองที่ประสงค์จะแลกเปลี่ยนเทคโนโลยีและ"
        "แนวปฏิบัติที่ดี\n\n"
        "ข้อ 2. สมาชิก\nเมืองใดในประเทศสมาชิกหรือประเทศหุ้นส่วนอาจยื่นคำขอเป็นสมาชิกได้ ที่ประชุมใหญ่รับสมาชิกใหม่ด้วย"
        "เสียงข้างมากธรรมดาของคะแนนเสียงที่ลงมติ โดยต้องมีเมืองสมาชิกร่วมลงคะแนนไม่น้อยกว่ากึ่งหนึ่ง\n\n"
        "ข้อ 3. องค์กร\nองค์กรของสมาคม ได้แก่ ที่ประชุมใหญ่ ซึ่งเมืองสมาชิกแต่ละเมืองมีหนึ่งเสียง ลงคะแนนโดยผู้ประสานงาน"
        "หรือผู้แทนที่ได้รับมอบหมาย คณะกรรมการบริหารซึ่งประกอบด้วยเมืองสมาชิกห้าเมืองที่ได้รับเลือกมีวาระสองปี และ"
        "สำนักเลขาธิการ\n\n"
        "ข้อ 4. การตัดสินใจ\nการตัดสินใจใช้เสียงข้างมากธรรมดา หรือสองในสามของคะแนนเสียงที่ลงมติในกรณีที่ข้อบังคับนี้"
        "กำหนด ผู้งดออกเสียงนับเป็นองค์ประชุมแต่ไม่นับในเสียงข้างมาก",
    ),
    "vi": (
        "Điều lệ Hiệp hội",
        "Điều 1. Tên gọi và trụ sở\nHiệp hội các Thành phố và Đô thị các nước BRICS+ tập hợp các thành phố mong muốn "
        "trao đổi công nghệ và thực tiễn tốt.\n\n"
        "Điều 2. Thành viên\nBất kỳ thành phố nào của một nước thành viên hoặc nước đối tác đều có thể nộp đơn. Đại hội "
        "đồng kết nạp thành viên mới theo đa số đơn giản số phiếu bầu, với điều kiện một nửa số thành phố thành viên "
        "tham gia bỏ phiếu.\n\n"
        "Điều 3. Các cơ quan\nCác cơ quan của Hiệp hội gồm Đại hội đồng, trong đó mỗi thành phố thành viên có một phiếu "
        "do điều phối viên hoặc đại biểu được chỉ định bỏ; Ban Điều hành gồm năm thành phố thành viên được bầu với nhiệm "
        "kỳ hai năm; và Ban Thư ký.\n\n"
        "Điều 4. Quyết định\nCác quyết định được thông qua theo đa số đơn giản hoặc, khi Điều lệ này quy định, theo hai "
        "phần ba số phiếu bầu. Phiếu trắng được tính vào số đại biểu cần thiết nhưng không tính vào đa số.",
    ),
    "am": (
        "የማኅበሩ መተዳደሪያ ደንብ",
        "አንቀጽ 1. ስምና መቀመጫ\nየብሪክስ+ ሀገራት ከተሞችና ማዘጋጃ ቤቶች ማኅበር ቴክኖሎጂዎችንና ምርጥ ተሞክሮዎችን መለዋወጥ "
        "የሚፈልጉ ከተሞችን ያሰባስባል።\n\n"
        "አንቀጽ 2. አባላት\nየአባል ወይም የአጋር ሀገር ማንኛውም ከተማ ማመልከት ይችላል። ጠቅላላ ጉባኤው ከአባል ከተሞች ግማሹ "
        "በድምፅ አሰጣጡ ከተሳተፉ አዳዲስ አባላትን በተሰጡት ድምፆች ቀላል አብላጫ ይቀበላል።\n\n"
        "አንቀጽ 3. አካላት\nየማኅበሩ አካላት እያንዳንዱ አባል ከተማ በአስተባባሪው ወይም በተሰየመ ተወካዩ የሚሰጥ አንድ ድምፅ ያለበት "
        "ጠቅላላ ጉባኤ፣ ለሁለት ዓመት የሚመረጡ አምስት አባል ከተሞች ያሉበት የሥራ አመራር ቦርድ እና ጽሕፈት ቤት ናቸው።\n\n"
        "አንቀጽ 4. ውሳኔዎች\nውሳኔዎች በተሰጡት ድምፆች ቀላል አብላጫ ወይም ይህ ደንብ በሚደነግግበት ሁኔታ በሁለት ሦስተኛ "
        "ድምፅ ይተላለፋሉ። ድምፀ ተአቅቦ ለምልአተ ጉባኤ ይቆጠራል፤ ለአብላጫ ግን አይቆጠርም።",
    ),
}

RULES_MORE: dict[str, tuple[str, str]] = {
    "pt": (
        "Regimento da Assembleia Geral",
        "1. O Secretariado abre cada votação com a proposta, as opções, o quórum, a regra de maioria e os horários de "
        "abertura e encerramento.\n2. Cada cidade membro vota uma vez; pode mudar o voto até o encerramento, e vale a "
        "última cédula.\n3. Na votação secreta registra-se apenas o fato de a cidade ter votado.\n4. O resultado, a "
        "contagem e a participação são publicados no encerramento.",
    ),
    "zh": (
        "全体大会议事规则",
        "1. 秘书处开启每次表决时公布动议、选项、法定人数、多数规则以及开始和截止时间。\n2. 每个成员城市投票一次；在截止前可"
        "更改投票，以最后一张选票为准。\n3. 无记名投票只记录城市是否已投票。\n4. 表决截止后公布结果、计票和投票率。",
    ),
    "hi": (
        "महासभा की कार्य-प्रक्रिया नियमावली",
        "1. सचिवालय हर मतदान को प्रस्ताव, विकल्पों, कोरम, बहुमत के नियम और मतदान खुलने व बंद होने के समय के साथ खोलता "
        "है।\n2. हर सदस्य शहर एक बार मत देता है; मतदान बंद होने तक वह अपना मत बदल सकता है, और अंतिम मतपत्र गिना जाता "
        "है।\n3. गुप्त मतदान में केवल यह दर्ज होता है कि शहर ने मत दिया।\n4. मतदान बंद होने पर परिणाम, गिनती और मतदान "
        "प्रतिशत प्रकाशित किए जाते हैं।",
    ),
    "ar": (
        "النظام الداخلي للجمعية العامة",
        "1. تفتح الأمانة العامة كل تصويت مع بيان المقترح والخيارات والنصاب وقاعدة الأغلبية وموعدي بدء التصويت وانتهائه.\n"
        "2. تصوّت كل مدينة عضو مرة واحدة، ويجوز لها تغيير صوتها حتى انتهاء التصويت، ويُعتدّ بآخر ورقة.\n3. في الاقتراع "
        "السري لا يُسجَّل إلا أن المدينة قد صوّتت.\n4. تُنشر النتيجة والفرز ونسبة المشاركة عند انتهاء التصويت.",
    ),
    "fa": (
        "آیین‌نامهٔ داخلی مجمع عمومی",
        "۱. دبیرخانه هر رأی‌گیری را با پیشنهاد، گزینه‌ها، حد نصاب، قاعدهٔ اکثریت و زمان آغاز و پایان آن می‌گشاید.\n"
        "۲. هر شهر عضو یک بار رأی می‌دهد و تا پایان رأی‌گیری می‌تواند رأی خود را تغییر دهد؛ آخرین برگه شمرده می‌شود.\n"
        "۳. در رأی‌گیری مخفی تنها این ثبت می‌شود که شهر رأی داده است.\n۴. نتیجه، شمارش و میزان مشارکت پس از پایان "
        "رأی‌گیری منتشر می‌شود.",
    ),
    "id": (
        "Tata Tertib Majelis Umum",
        "1. Sekretariat membuka setiap pemungutan suara dengan usul, pilihan, kuorum, aturan suara terbanyak, serta "
        "waktu pembukaan dan penutupannya.\n2. Setiap kota anggota memberikan suara sekali; suara dapat diubah sampai "
        "pemungutan ditutup, dan surat suara terakhir yang dihitung.\n3. Dalam pemungutan suara rahasia hanya dicatat "
        "bahwa kota telah memberikan suara.\n4. Hasil, penghitungan, dan tingkat partisipasi diumumkan saat pemungutan "
        "ditutup.",
    ),
    "es": (
        "Reglamento de la Asamblea General",
        "1. La Secretaría abre cada votación con su propuesta, opciones, quórum, regla de mayoría y las horas de "
        "apertura y cierre.\n2. Cada ciudad miembro vota una vez; puede cambiar su voto hasta el cierre, y cuenta la "
        "última papeleta.\n3. En la votación secreta solo se registra que la ciudad votó.\n4. El resultado, el "
        "recuento y la participación se publican al cierre de la votación.",
    ),
    "th": (
        "ระเบียบการประชุมของที่ประชุมใหญ่",
        "1. สำนักเลขาธิการเปิดการลงคะแนนแต่ละครั้งพร้อมญัตติ ตัวเลือก องค์ประชุม เกณฑ์เสียงข้างมาก และเวลาเปิดและปิด"
        "การลงคะแนน\n2. เมืองสมาชิกแต่ละเมืองลงคะแนนได้ครั้งเดียว และเปลี่ยนคะแนนได้จนกว่าจะปิดการลงคะแนน โดยนับบัตร"
        "ใบสุดท้าย\n3. ในการลงคะแนนลับ จะบันทึกเพียงว่าเมืองได้ลงคะแนนแล้ว\n4. ผลการลงคะแนน การนับคะแนน และอัตรา"
        "การออกเสียงจะประกาศเมื่อปิดการลงคะแนน",
    ),
    "vi": (
        "Quy chế làm việc của Đại hội đồng",
        "1. Ban Thư ký mở mỗi cuộc bỏ phiếu với kiến nghị, các phương án, số đại biểu cần thiết, nguyên tắc đa số và "
        "thời gian mở, đóng bỏ phiếu.\n2. Mỗi thành phố thành viên bỏ phiếu một lần; có thể thay đổi phiếu cho đến khi "
        "đóng bỏ phiếu, và phiếu cuối cùng được tính.\n3. Trong bỏ phiếu kín, chỉ ghi nhận việc thành phố đã bỏ phiếu.\n"
        "4. Kết quả, việc kiểm phiếu và tỷ lệ tham gia được công bố khi đóng bỏ phiếu.",
    ),
    "am": (
        "የጠቅላላ ጉባኤው የአሠራር ደንብ",
        "1. ጽሕፈት ቤቱ እያንዳንዱን የድምፅ አሰጣጥ ከሞሽኑ፣ ከአማራጮቹ፣ ከምልአተ ጉባኤው፣ ከአብላጫ ደንቡና ከመክፈቻና መዝጊያ "
        "ጊዜዎቹ ጋር ይከፍታል።\n2. እያንዳንዱ አባል ከተማ አንድ ጊዜ ድምፅ ይሰጣል፤ ድምፅ አሰጣጡ እስኪዘጋ ድምፁን መቀየር "
        "ይችላል፤ የመጨረሻው ድምፅ ይቆጠራል።\n3. በሚስጥር ድምፅ አሰጣጥ ከተማው ድምፅ መስጠቱ ብቻ ይመዘገባል።\n4. ውጤቱ፣ "
        "ቆጠራውና የተሳትፎ መጠኑ ድምፅ አሰጣጡ ሲዘጋ ይፋ ይደረጋሉ።",
    ),
}
