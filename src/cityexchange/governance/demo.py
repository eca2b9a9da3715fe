"""Demo governance for `cityexchange init --demo`: statutes and rules, the three bodies, working groups, a counted
budget vote and an open assembly vote on admitting the pending applicant (Yekaterinburg). Idempotent.

Runs after the registry's demo (INSTALLED_APPS order) and uses its cities and accounts. Everything is written
through the services; only the past vote's dates are moved back afterwards, since a vote cannot be opened in the
past.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.utils import timezone

from cityexchange.accounts.models import CityRole, User
from cityexchange.registry.demo import APPLICANT, MEMBERS, SECRETARIAT_EMAIL, find_city
from cityexchange.registry.models import City, Membership, Sector

from . import services
from .demo_texts import RULES_MORE, STATUTES_MORE
from .models import Body, Document, Seat, Vote, VoteOption, VoteResult, WorkingGroup

FOUNDED = dt.date(2024, 6, 3)
BOARD = ["Kazan", "São Paulo", "Shanghai", "Pune", "Cape Town"]
# Cities whose coordinators the registry demo prints logins for: they have not voted yet in the open vote, so the
# browser flow can be tried with them.
LOGIN_CITIES = {"Kazan", "São Paulo", "Shanghai", "Pune"}

STATUTES = {
    "en": (
        "Statutes of the Association",
        "Article 1. Name and seat\nThe Association of Cities and Municipalities of BRICS+ Countries unites cities "
        "that wish to exchange technologies and best practices.\n\n"
        "Article 2. Members\nAny city of a member or partner country may apply. The General Assembly admits new "
        "members by a simple majority of the votes cast, provided that half of the member cities take part.\n\n"
        "Article 3. Bodies\nThe bodies of the Association are the General Assembly, in which every member city has "
        "one vote cast by its coordinator or a named delegate; the Board of five member cities elected for two "
        "years; and the Secretariat.\n\n"
        "Article 4. Decisions\nDecisions are taken by a simple majority or, where these statutes say so, by two "
        "thirds of the votes cast. Abstentions count for the quorum but not for the majority.",
    ),
    "ru": (
        "Устав Ассоциации",
        "Статья 1. Наименование и местонахождение\nАссоциация городов и муниципалитетов стран БРИКС+ объединяет "
        "города, желающие обмениваться технологиями и лучшими практиками.\n\n"
        "Статья 2. Члены\nЛюбой город страны-члена или страны-партнёра может подать заявку. Общее собрание "
        "принимает новых членов простым большинством поданных голосов при участии не менее половины городов.\n\n"
        "Статья 3. Органы\nОрганы Ассоциации: Общее собрание, где каждый город имеет один голос, подаваемый его "
        "координатором или назначенным делегатом; Правление из пяти городов, избираемых на два года; Секретариат."
        "\n\nСтатья 4. Решения\nРешения принимаются простым большинством или, где это предусмотрено уставом, "
        "двумя третями поданных голосов. Воздержавшиеся учитываются для кворума, но не для большинства.",
    ),
    "pt": (
        "Estatuto da Associação",
        "Artigo 1. Nome e sede\nA Associação de Cidades e Municípios dos Países do BRICS+ reúne cidades que "
        "desejam trocar tecnologias e boas práticas.\n\n"
        "Artigo 2. Membros\nQualquer cidade de um país membro ou parceiro pode candidatar-se. A Assembleia Geral "
        "admite novos membros por maioria simples dos votos, com a participação de metade das cidades membros.",
    ),
}
RULES_OF_PROCEDURE = {
    "en": (
        "Rules of procedure of the General Assembly",
        "1. The Secretariat opens each vote with its motion, options, quorum and majority rule, and the times at "
        "which voting opens and closes.\n2. Each member city votes once; it may change its vote until voting "
        "closes, and the last ballot counts.\n3. In a secret ballot only the fact that a city voted is recorded.\n"
        "4. The result, the count and the turnout are published when voting closes.",
    ),
    "ru": (
        "Регламент Общего собрания",
        "1. Секретариат открывает каждое голосование с указанием предложения, вариантов, кворума, правила "
        "большинства и времени начала и окончания.\n2. Каждый город голосует один раз и может изменить свой голос "
        "до закрытия; учитывается последний бюллетень.\n3. При тайном голосовании записывается только факт участия."
        "\n4. Итог, подсчёт и явка публикуются после закрытия голосования.",
    ),
}
# The bodies' names in every UI language (the secretariat edits them on each body's page).
BODY_NAMES = {
    Body.Kind.ASSEMBLY: {
        "ru": "Общее собрание",
        "pt": "Assembleia Geral",
        "zh": "全体大会",
        "hi": "महासभा",
        "ar": "الجمعية العامة",
        "fa": "مجمع عمومی",
        "id": "Majelis Umum",
        "es": "Asamblea General",
        "th": "ที่ประชุมใหญ่",
        "vi": "Đại hội đồng",
        "am": "ጠቅላላ ጉባኤ",
    },
    Body.Kind.BOARD: {
        "ru": "Правление",
        "pt": "Conselho",
        "zh": "理事会",
        "hi": "कार्यकारी मंडल",
        "ar": "مجلس الإدارة",
        "fa": "هیئت مدیره",
        "id": "Dewan Pengurus",
        "es": "Junta Directiva",
        "th": "คณะกรรมการบริหาร",
        "vi": "Ban Điều hành",
        "am": "የሥራ አመራር ቦርድ",
    },
    Body.Kind.SECRETARIAT: {
        "ru": "Секретариат",
        "pt": "Secretariado",
        "zh": "秘书处",
        "hi": "सचिवालय",
        "ar": "الأمانة العامة",
        "fa": "دبیرخانه",
        "id": "Sekretariat",
        "es": "Secretaría",
        "th": "สำนักเลขาธิการ",
        "vi": "Ban Thư ký",
        "am": "ጽሕፈት ቤት",
    },
}
GROUPS = [
    (
        "urban-ecology",
        "Urban management and ecology",
        {
            "ru": "Городское управление и экология",
            "pt": "Gestão urbana e ecologia",
            "zh": "城市管理与生态",
            "hi": "शहरी प्रबंधन और पारिस्थितिकी",
            "ar": "الإدارة الحضرية والبيئة",
            "fa": "مدیریت شهری و محیط زیست",
            "id": "Manajemen perkotaan dan ekologi",
            "es": "Gestión urbana y ecología",
            "th": "การบริหารจัดการเมืองและนิเวศวิทยา",
            "vi": "Quản lý đô thị và sinh thái",
            "am": "የከተማ አስተዳደርና ሥነ ምህዳር",
        },
        ["urban-management", "ecology"],
        "Curitiba",
        ["Curitiba", "Kazan", "Surabaya", "Almaty", "Durban", "Kampala", "Chiang Mai"],
    ),
    (
        "industry-infrastructure",
        "Industry and infrastructure",
        {
            "ru": "Промышленность и инфраструктура",
            "pt": "Indústria e infraestrutura",
            "zh": "工业与基础设施",
            "hi": "उद्योग और बुनियादी ढाँचा",
            "ar": "الصناعة والبنية التحتية",
            "fa": "صنعت و زیرساخت",
            "id": "Industri dan infrastruktur",
            "es": "Industria e infraestructura",
            "th": "อุตสาหกรรมและโครงสร้างพื้นฐาน",
            "vi": "Công nghiệp và cơ sở hạ tầng",
            "am": "ኢንዱስትሪና መሠረተ ልማት",
        },
        ["industry", "infrastructure"],
        "Shanghai",
        ["Shanghai", "Minsk", "Ufa", "Novosibirsk", "Alexandria", "Tashkent", "Shenzhen"],
    ),
    (
        "health-transport",
        "Healthcare and transportation",
        {
            "ru": "Здравоохранение и транспорт",
            "pt": "Saúde e transportes",
            "zh": "医疗与交通",
            "hi": "स्वास्थ्य सेवा और परिवहन",
            "ar": "الرعاية الصحية والنقل",
            "fa": "بهداشت و درمان و حمل‌ونقل",
            "id": "Kesehatan dan transportasi",
            "es": "Salud y transporte",
            "th": "สาธารณสุขและการขนส่ง",
            "vi": "Y tế và giao thông vận tải",
            "am": "ጤና አገልግሎትና ትራንስፖርት",
        },
        ["healthcare", "transportation"],
        "São Paulo",
        ["São Paulo", "Addis Ababa", "Havana", "Lagos", "Pune", "Bengaluru"],
    ),
]


def _city(name: str) -> City:
    country = next(c for n, c, _slug, _s in MEMBERS if n == name)
    return find_city(name, country)


def _coordinator(city: City) -> User | None:
    role = CityRole.objects.filter(city=city, role=CityRole.Role.COORDINATOR).select_related("user").first()
    return role.user if role else None


def _document(secretariat: User, slug: str, kind: str, rank: int, texts: dict, decision: str) -> None:
    document, _created = Document.objects.get_or_create(slug=slug, defaults={"kind": kind, "rank": rank})
    if not document.versions.exists():
        services.document_version_add(
            actor=secretariat, document=document, adopted_on=FOUNDED, decision=decision, texts=texts
        )


def _bodies(secretariat: User, members: list[City]) -> Body:
    assembly, _c = Body.objects.get_or_create(
        kind=Body.Kind.ASSEMBLY,
        defaults={
            "name": "General Assembly",
            "names": BODY_NAMES[Body.Kind.ASSEMBLY],
            "description": "All member cities, one vote each, cast by the city's coordinator or its delegate.",
        },
    )
    board, _c = Body.objects.get_or_create(
        kind=Body.Kind.BOARD,
        defaults={
            "name": "Board",
            "names": BODY_NAMES[Body.Kind.BOARD],
            "description": "Five member cities elected by the General Assembly for two years.",
        },
    )
    staff, _c = Body.objects.get_or_create(
        kind=Body.Kind.SECRETARIAT,
        defaults={
            "name": "Secretariat",
            "names": BODY_NAMES[Body.Kind.SECRETARIAT],
            "description": "Runs the Association day to day: applications, votes, documents.",
        },
    )
    if not assembly.seats.exists():
        for city in members:
            services.seat_add(actor=secretariat, body=assembly, city=city, start_on=FOUNDED)
    if not board.seats.exists():
        elected = timezone.localdate() - dt.timedelta(days=120)  # a two-year term, under way
        for i, name in enumerate(BOARD):
            role = Seat.Role.CHAIR if i == 0 else Seat.Role.VICE_CHAIR if i == 1 else Seat.Role.MEMBER
            services.seat_add(
                actor=secretariat,
                body=board,
                city=_city(name),
                role=role,
                start_on=elected,
                end_on=elected + dt.timedelta(days=730),
            )
    if not staff.seats.exists():
        services.seat_add(actor=secretariat, body=staff, person=secretariat, role=Seat.Role.HEAD, start_on=FOUNDED)
    return assembly


def _groups(secretariat: User) -> None:
    english = "en"
    for slug, name, names, sectors, chair, cities in GROUPS:
        if WorkingGroup.objects.filter(slug=slug).exists():
            continue
        group = services.group_create(
            actor=secretariat,
            slug=slug,
            name=name,
            names=names,
            sectors=Sector.objects.filter(code__in=sectors),
            description=f"Member cities working together on {name.lower()}.",
        )
        for city_name in cities:
            services.group_join(actor=secretariat, group=group, city=_city(city_name))
        chair_city = _city(chair)
        services.group_set_chair(actor=secretariat, group=group, city=chair_city)
        chair_user = _coordinator(chair_city) or secretariat
        now = timezone.now()
        services.plan_item_add(
            actor=chair_user,
            group=group,
            title="Collect each member's three best practices",
            due_on=timezone.localdate() + dt.timedelta(days=60),
            lead_city=chair_city,
            status="under_way",
        )
        services.plan_item_add(
            actor=chair_user,
            group=group,
            title="Study visit to the chair city",
            due_on=timezone.localdate() + dt.timedelta(days=150),
            lead_city=chair_city,
        )
        services.plan_item_add(actor=chair_user, group=group, title="Report to the General Assembly", status="planned")
        meeting = services.meeting_add(
            actor=chair_user,
            group=group,
            title="Kick-off meeting",
            starts_at=now - dt.timedelta(days=20),
            place="Kazan, International Forum of BRICS+ Cities",
            agenda="1. Introductions\n2. Work plan\n3. Next meeting",
        )
        services.meeting_record_minutes(
            actor=chair_user,
            meeting=meeting,
            minutes=f"Present: {', '.join(cities)}.\nThe group adopted its work plan and chose {chair} as chair. "
            "Each city will send three practices before the next meeting.",
        )
        services.meeting_add(
            actor=chair_user,
            group=group,
            title="Online working meeting",
            starts_at=now + dt.timedelta(days=25),
            place="Online",
            agenda="Review of the collected practices.",
        )
        services.group_document_add(
            actor=chair_user,
            group=group,
            title=f"Terms of reference: {name}",
            language=english,
            body=f"The working group on {name.lower()} gathers member cities to compare what worked, prepare "
            "transfers of practices and report to the General Assembly once a year.",
        )


def _past_budget_vote(secretariat: User, assembly: Body, members: list[City]) -> None:
    title = "Budget 2026 of the Association"
    if Vote.objects.filter(title=title).exists():
        return
    vote = services.vote_open(
        actor=secretariat,
        body=assembly,
        kind=Vote.Kind.BUDGET,
        title=title,
        motion="The General Assembly adopts the budget for 2026 as proposed by the Board.",
        closes_at=timezone.now() + dt.timedelta(hours=1),
    )
    options = {o.kind: o for o in vote.options.all()}
    for i, city in enumerate(members[:20]):
        user = _coordinator(city)
        if user is None:
            continue
        choice = VoteOption.Kind.NO if i % 7 == 3 else VoteOption.Kind.ABSTAIN if i % 9 == 5 else VoteOption.Kind.YES
        services.vote_cast(actor=user, vote=vote, city=city, option=options[choice])
    past_close = timezone.now() - dt.timedelta(days=30)
    Vote.objects.filter(pk=vote.pk).update(opens_at=past_close - dt.timedelta(days=7), closes_at=past_close)
    vote.refresh_from_db()
    services.vote_count(actor=None, vote=vote)
    VoteResult.objects.filter(vote=vote).update(counted_at=past_close)
    document, _c = Document.objects.get_or_create(
        slug="resolution-budget-2026", defaults={"kind": Document.Kind.RESOLUTION, "rank": 10}
    )
    if not document.versions.exists():
        services.document_version_add(
            actor=secretariat,
            document=document,
            adopted_on=past_close.date(),
            decision="General Assembly, vote on the budget 2026",
            adopted_by_vote=vote,
            texts={"en": ("Resolution on the budget 2026", "The General Assembly adopts the budget for 2026.")},
        )


def _open_admission_vote(secretariat: User, assembly: Body, members: list[City]) -> None:
    name, country, _slug, _sectors = APPLICANT
    applicant = find_city(name, country)
    if Vote.objects.filter(kind=Vote.Kind.ADMISSION, subject_city=applicant).exists():
        return
    if Membership.objects.filter(city=applicant, status=Membership.Status.ACTIVE).exists():
        return
    vote = services.vote_open(
        actor=secretariat,
        body=assembly,
        kind=Vote.Kind.ADMISSION,
        title=f"Admission of {name}",
        motion=f"The General Assembly admits {name} as a member city of the Association.",
        subject_city=applicant,
        closes_at=timezone.now() + dt.timedelta(days=14),
    )
    # Most cities have voted already; the four demo login cities have not, so the quorum is one click away.
    options = {o.kind: o for o in vote.options.all()}
    voters = [c for c in members if c.name not in LOGIN_CITIES][:12]
    for i, city in enumerate(voters):
        user = _coordinator(city)
        if user is not None:
            choice = VoteOption.Kind.NO if i == 4 else VoteOption.Kind.ABSTAIN if i == 7 else VoteOption.Kind.YES
            services.vote_cast(actor=user, vote=vote, city=city, option=options[choice])


def load(stdout: TextIO) -> list[tuple[str, str, str]]:
    secretariat = User.objects.get(email=SECRETARIAT_EMAIL)
    services.statutes_settings()
    members = list(
        City.objects.filter(membership__status=Membership.Status.ACTIVE).exclude(name=APPLICANT[0]).order_by("name")
    )
    _document(
        secretariat,
        "statutes",
        Document.Kind.STATUTES,
        1,
        {**STATUTES, **STATUTES_MORE},
        "Founding assembly, International Forum of BRICS+ Cities, Kazan",
    )
    _document(
        secretariat,
        "rules-of-procedure",
        Document.Kind.RULES,
        2,
        {**RULES_OF_PROCEDURE, **RULES_MORE},
        "Founding assembly, resolution no. 2",
    )
    assembly = _bodies(secretariat, members)
    _groups(secretariat)
    _past_budget_vote(secretariat, assembly, members)
    _open_admission_vote(secretariat, assembly, members)
    stdout.write(
        f"Demo governance: {Document.objects.count()} documents, {Body.objects.count()} bodies, "
        f"{WorkingGroup.objects.count()} working groups, {Vote.objects.count()} votes."
    )
    return []
