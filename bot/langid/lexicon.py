"""Word lists: German loanwords, shared greetings, and frequent words per language.

The lists are written by hand from general knowledge of chat messages (function words,
greetings, thanks, "help", "doctor", "letter"...). They decide what a 1–2-word message
is, where character n-grams have too little to go on. Keys are folded with
:func:`bot.langid.text.fold`, so "dziękuję" and "dziekuje" hit the same entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from bot.langid.text import WORD_CACHE, fold, strip_suffix_apostrophe

# German administrative words residents of every language use verbatim. They are removed
# before detection so "Мій Aufenthaltstitel закінчується" is not German. Keys are
# additionally ae/oe/ue-collapsed (see loan_key) so "Auslaenderbehoerde" matches too.
_LOANWORDS = """
jobcenter job-center jobcentre termin termine brief briefe kita kitas krippe hort
sozialamt familienkasse bürgergeld buergergeld anmeldung ummeldung abmeldung
aufenthaltstitel aufenthaltserlaubnis aufenthaltsgestattung niederlassungserlaubnis
ausländerbehörde ausländeramt duldung fiktionsbescheinigung bamf schule grundschule
realschule oberschule hauptschule gymnasium gesamtschule berufsschule ausbildung
praktikum minijob arzt hausarzt kinderarzt zahnarzt frauenarzt facharzt arzttermin
krankenkasse aok versichertenkarte gesundheitskarte überweisung rezept inkasso schufa
mahnung kündigung nebenkosten nebenkostenabrechnung kaution wohngeld kindergeld
kinderzuschlag elterngeld unterhaltsvorschuss bescheid antrag widerspruch jugendamt
arbeitsamt arbeitsagentur bürgeramt rathaus standesamt finanzamt integrationskurs
deutschkurs sprachkurs stadtteiltreff treff schuldnerberatung migrationsberatung
frauenhaus tafel wbs wohnberechtigungsschein führerschein steuer-id steuernummer
sozialausweis hameln hamelner afferde tündern rohrsen wangelist kuckuck nordstadt
südstadt basberg klein berkel hastenbeck halvestorf hilligsfeld sünteltal
"""

# Endings of German compounds ("Zahnarzttermin", "Leistungsbescheid"): a longer token that
# ends in one of these is treated as a loanword too.
_LOAN_TAILS = (
    "behörde",
    "amt",
    "kasse",
    "geld",
    "center",
    "treff",
    "beratung",
    "schule",
    "arzt",
    "termin",
    "bescheid",
    "antrag",
    "schein",
    "kurs",
    "erlaubnis",
)
_GERMAN_STEMS_FOR_KURS = ("deutsch", "sprach", "integrations", "orientierungs", "alpha")


def loan_key(word: str) -> str:
    """Fold a word for the loanword list, also collapsing ae/oe/ue spellings of umlauts."""
    key = fold(word)
    return key.replace("ae", "a").replace("oe", "o").replace("ue", "u")


_LOAN_KEYS = frozenset(loan_key(word) for word in _LOANWORDS.split())
_LOAN_TAIL_KEYS = tuple(loan_key(tail) for tail in _LOAN_TAILS)
# Inflected loanwords: Kurdish "Jobcenterê", Polish "Jobcenterze", Turkish "Jobcenterdan".
_MAX_INFLECTION = 5
_MIN_STEM = 4


@lru_cache(maxsize=WORD_CACHE)
def is_loanword(word: str) -> bool:
    """Tell whether a Latin-script token is a German administrative loanword.

    Args:
        word: A token, possibly inflected ("Jobcenterê", "Kita'ya").

    Returns:
        True for listed loanwords, their inflected forms and German compounds on them.
    """
    key = loan_key(strip_suffix_apostrophe(word))
    if key in _LOAN_KEYS:
        return True
    for cut in range(1, _MAX_INFLECTION + 1):
        stem = key[:-cut]
        if len(stem) >= _MIN_STEM and stem in _LOAN_KEYS:
            return True
    for tail in _LOAN_TAIL_KEYS:
        if key.endswith(tail) and len(key) >= len(tail) + 3:
            # "kurs" is a native word in Polish, Turkish and Albanian; only German
            # compounds such as "Deutschkurs" count.
            if tail == "kurs" and not key.startswith(_GERMAN_STEMS_FOR_KURS):
                continue
            return True
    return False


# Greetings and fillers written by speakers of several languages: the default language
# (used when nothing else, not even a hint, tells them apart) and the languages that
# plausibly use the word, or None when a resident of any language may write it.
_SHARED: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "hallo": ("de", None),
    "hello": ("en", None),
    "hi": ("en", None),
    "hey": ("en", None),
    "ok": ("en", None),
    "okay": ("en", None),
    "okey": ("tr", None),
    "ок": ("ru", ("ru", "uk", "bg")),
    "окей": ("ru", ("ru", "uk", "bg")),
    "danke": ("de", None),
    "tschüss": ("de", None),
    "thx": ("en", None),
    "salam": ("fa", ("fa", "ar", "ps", "ku", "tr")),
    "selam": ("tr", ("tr", "ku", "sq", "ar")),
    "slm": ("tr", ("tr", "ku", "sq", "fa")),
    "merhaba": ("tr", ("tr", "ku", "ar")),
    "merheba": ("ku", ("ku", "tr", "ar")),
    "marhaba": ("ar", ("ar", "tr", "ku")),
    "privet": ("ru", ("ru", "uk", "bg")),
    "salut": ("ro", None),
    "mersi": ("ro", ("ro", "fa", "bg", "tr")),
    "merci": ("ro", None),
    "ciao": ("ro", None),
    "سلام": ("fa", ("fa", "ar", "ps")),
    "السلام": ("ar", ("ar", "fa", "ps")),
    "عليكم": ("ar", ("ar", "fa", "ps")),
    "علیکم": ("fa", ("fa", "ps", "ar")),
    "inshallah": ("ar", None),
    "mashallah": ("ar", None),
}
SHARED_WORDS: Mapping[str, tuple[str, tuple[str, ...] | None]] = {
    fold(word): value for word, value in _SHARED.items()
}


def shared_word(folded: str) -> tuple[str, tuple[str, ...] | None] | None:
    """Look up a shared greeting.

    Args:
        folded: A folded token.

    Returns:
        ``(default language, plausible languages or None for anyone)``, or None when the
        word is not a shared greeting.
    """
    return SHARED_WORDS.get(folded)


_WORDS: dict[str, str] = {
    "de": """
        ich du er sie es wir ihr und oder aber nicht kein keine keinen ist bin bist sind
        war habe hab hat haben hatte brauche brauchen braucht bitte danke dank schön guten
        gute morgen tag abend nacht hilfe helfen hilft wo wann wie was wer warum wieso ja
        nein mit von vom zum zur bei beim für auf im an am der die das den dem des ein
        eine einen einem einer mein meine meinen meinem kann kannst können muss müssen
        möchte möchten will wollen gibt heute wohnung miete gesucht suche suchen arbeit
        kind kinder sohn tochter mann frau schulden offen geöffnet gerne doch auch noch
        schon jetzt hier dort da sehr gut frage krank schmerzen angst geld zimmer familie
        verstehe verstehen bekommen bekomme habt euch uns mir mich dir dich ihn ihm sagen
        bezahlen zahlen wirklich komplett machen mache tun alle voll moin servus tschüs
        gesucht anmelden vorbeikommen ohne hoch zu nachhilfe dolmetscher hilfe vermieter
        was wieder leider entschuldigung grüß gott liebe grüße ne nicht mal geht
        """,
    "en": """
        i you he she we they my your me him her us our their the a an and or but not no
        yes is are am was were be have has had need needs want wants help please pls plz
        thanks thank where when how what who why which can could do does did don't dont
        to from for with at on in of this that it there here today tomorrow appointment
        letter doctor flat apartment housing job work money school son daughter husband
        wife child children kids good morning evening night sorry course office open
        hours news call back register get got afraid home go come speak english german
        understand know find looking problem landlord debt debts rent late free any some
        will would should must u ur im i'm it's thanks hello lot much very
        """,
    "uk": """
        я ти ви ми він вона воно вони мені мене мій моя моє мої твій і й та але не ні так
        що як де коли чи це є у в з із зі до від для на про будь ласка дякую привіт
        вітаю добрий доброго день ранку вечір вечора допоможіть допомога допомогти
        потрібен потрібна потрібно треба можна шукаю лист листа лікар лікаря житло
        квартира квартиру робота роботу школа школи дитина дитину діти чоловік жінка
        гроші курси курс німецької німецька зараз сьогодні завтра скільки коштує тут там
        вже ще дуже добре хочу маю немає розумію знаю скажіть будь-ласка перекладач
        отримала отримав наступний буде відкрито садок дитячий шукаємо звернутися куди
        який яка яке також нас нам вам вас їх його її
        """,
    "ru": """
        я ты вы мы он она оно они мне меня мой моя моё мои твой и а но не нет да что как
        где когда ли это есть у в с из к от для на о об по пожалуйста спасибо привет
        здравствуйте здрасте добрый доброе день утро вечер помогите помощь помочь нужен
        нужна нужно надо можно ищу письмо врач врача квартира квартиру работа работу
        школа школу ребенок ребёнок дети муж жена деньги курсы курс немецкого немецкий
        сейчас сегодня завтра сколько стоит здесь там уже еще ещё очень хорошо хочу
        понимаю знаю большое подскажите переводчик получила получил следующий будет
        открыто ищем обращаться куда который которая также нас нам вам вас их его её
        """,
    "bg": """
        аз ти вие ние той тя то те ми ме мен моят моя моето мои и а но не да че как къде
        кога какво ли това е има няма в във с със от до за на по моля благодаря мерси
        здравей здравейте здрасти добър добро ден утро вечер помощ помогнете помогни
        трябва може мога можете търся писмо лекар квартира работа училище дете детето
        деца мъж жена пари курс немски сега днес утре колко тук там вече още много
        добре искам разбирам знам час часа преводач получих следващият отваряте
        търсим ни ви им го я нея него съм си сме сте са бях
        """,
    "ar": """
        أنا انا أنت انت نحن هو هي في من على إلى الى عن مع هل ما لا نعم و أو او لكن شو
        ليش وين فين كيف متى امتى بدي بدك عندي عندك ممكن لازم شكرا مرحبا أهلا اهلا صباح
        الخير مساء مساعدة أحتاج احتاج رسالة دكتور طبيب بيت شقة سكن شغل عمل مدرسة
        المدرسة ابني بنتي زوجي زوجتي مصاري فلوس كورس اليوم بكرا بكرة هون هنا كتير
        كثير تمام يعطيك العافية الله إن ان شاء يا هذا هذه التي الذي كان أريد اريد
        ايش إيش شي حدا يمكن أين اين موعد المكتب
        """,
    "fa": """
        من تو شما ما او ایشان و یا اما ولی نه بله آره است هست هستم هستید را رو که از
        به با در برای تا چه چی کجا کجاست کی چطور چرا چقدر می‌خواهم میخواهم میخوام
        دارم دارید لطفا ممنون مرسی صبح بخیر خسته نباشید کمک نامه دکتر خانه کار مدرسه
        پسرم دخترم شوهرم زنم پول کلاس امروز فردا اینجا خیلی خوب تشکر میشه نمیدانم
        نمی‌دانم نمی‌فهمم وقت نیاز لازم این آن هم باید می‌توانم میتوانم کنم کنید
        شده بود دنبال خانواده بچه
        """,
    "ps": """
        زه ته تاسو موږ مونږ هغه دا او یا خو نه هو دی ده دي یم یې مې مو د په کې له
        څخه سره لپاره چې څه چېرته چیرته کله څنګه ولې څومره غواړم لرم شته نشته مننه
        ستړي ستړی مه شئ شې سهار پخیر مرسته لیک ډاکټر ډاکتر کور ښوونځی ښوونځي زوی
        لور مېړه ښځه پیسې نن سبا دلته ډېر ډیر ښه ورور خور یاست کوم راغلی وکړم کوي
        کولای کولی شم شي نو ما راته ماته زما ستا ورته اړتیا
        """,
    "tr": """
        ben sen siz biz o onlar bir ve veya ama değil yok var evet hayır bu şu ne nasıl
        nerede nereye neden niye kim kaç zaman mı mi mu mü için icin ile gibi çok iyi
        günaydın akşamlar teşekkürler teşekkür ederim sağol sağolun saol lütfen yardım
        lazım istiyorum doktor ev kira iş okul oğlum kızım kocam karım para kurs kursu
        bugün yarın burada tamam kolay gelsin randevu mektup anlamıyorum biliyorum abi
        abla hocam acaba benim bana beni sizin misiniz miyim musunuz olur gerekiyor
        hemen şimdi daha
        """,
    "ku": """
        ez tu hûn em ew min te me we wan û an lê na erê belê ye in im heye tune nîne çi
        çawa kengê kengî li ku ji bo di re bi ve divê dixwazim dikarim spas silav rojbaş
        roj baş êvarbaş şevbaş alîkarî alîkariya kerema xwe bijîşk xanî mal malê kar
        dibistan dibistanê kurê keça mêrê jina pere kursa îro sibê vir gelek xêr nameya
        name fam nakim dizanim nizanim heval bira dikim bikim bikin çima çend yî ne
        """,
    "ro": """
        eu tu el ea noi voi ei ele și sau dar nu da ce cum unde când de la cu pe în din
        pentru pt mi îmi am ai are avem aveți este e sunt vă rog mulțumesc mersi bună
        ziua seara dimineața ajutor nevoie medic casă locuință lucru muncă școală fiul
        fiica soțul soția bani curs azi astăzi mâine aici foarte bine vreau pot puteți
        trebuie înțeleg scrisoare programare frumos meu mea mele noastră acum caut
        """,
    "pl": """
        ja ty wy my on ona ono oni mnie mi mój moja moje i a ale lub albo nie tak co jak
        gdzie kiedy czy to jest są mam masz z ze w we do od dla na o po proszę dziękuję
        dzięki cześć dzień dobry dobranoc pomocy pomoc potrzebuję szukam list lekarz
        lekarza mieszkanie mieszkania praca pracy pracę szkoła szkoły syn córka mąż żona
        pieniądze kurs dzisiaj dziś jutro tutaj tu bardzo dobrze chcę mogę rozumiem
        siema witam się mój możecie możesz bardzo
        """,
    "sq": """
        unë ti ju ne ai ajo ata ato im ime yt e dhe ose por nuk jo po çfarë si ku kur
        pse sa a është jam kam ka kemi keni në nga me për te të tek mund duhet dua lutem
        faleminderit flm rrofsh përshëndetje mirëdita mirëmëngjes mirëmbrëma
        tungjatjeta tung ndihmë nevojë doktor mjek shtëpi banesë punë shkollë shkolla
        djali vajza burri gruaja para kurs sot nesër këtu shumë mirë kuptoj letër zyra
        më
        """,
}


def _index(words: Mapping[str, str]) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for lang, blob in words.items():
        for word in blob.split():
            index.setdefault(fold(word), set()).add(lang)
    return {word: frozenset(langs) for word, langs in index.items()}


WORD_LANGUAGES: Mapping[str, frozenset[str]] = _index(_WORDS)
LEXICON_LANGUAGES: frozenset[str] = frozenset(_WORDS)


def word_languages(folded: str) -> frozenset[str]:
    """Return the languages whose frequent-word list contains a folded token."""
    return WORD_LANGUAGES.get(folded, frozenset())
