/**
 * Word lexicons for correcting OCR of the name and address lines. Egyptian names come from a fairly closed set, and
 * Tesseract's typical slips on them are one letter wrong or a word split in two: احمعد for احمد, اسلا م for اسلام.
 * A unique nearby lexicon word fixes these. A name that is not in the lexicon is never forced into one; it
 * keeps the reading and its confidence.
 *
 * Words come from the generator's name lists (src/document/synth/names.ts) plus the common given and family
 * names below, written from general knowledge of Egyptian naming. None were taken from the evaluation cards.
 * Spelling differences (hamza forms, ى/ي, ة/ه) are folded by compareKey.
 */
import { compareKey, levenshtein } from './arabic.js';
import { GOVERNORATES } from './nid.js';
import { FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, NAME_PARTICLES } from './synth/names.js';
import { ADDRESS_WORDS, DISTRICTS, STREET_NAMES, VILLAGE_NAMES } from './synth/places.js';
import { JOBS, cardSpelling } from './synth/spec.js';

const MORE_NAMES = `
آدم ابراهيم ابوبكر ابو احسان ادهم ادريس اديب ازهر اسامه اسحاق اسعد اسماعيل اشرف اكرم الامير الحسن الحسين السيد الشحات الصاوي
امام امجد امير امين انور ايمن ايهاب باسل باهر بدر بدوي بركات بسيوني بشير بكر بهاء بهجت بيومي تامر توفيق ثابت ثروت جابر جاد جرجس
جلال جمال جميل جمعه جودة حافظ حامد حبيب حجازي حسام حسان حسانين حسن حسني حسنين حسين حلمي حماده حمدان حمدي حمزه حمود حنفي خضر
خطاب خلف خليفه خليل خميس دسوقي دياب راشد راضي راغب رافت رامز رامي ربيع رجب رزق رشاد رشدي رضا رضوان رفعت رمضان رياض زغلول زكي
زكريا زهران زياد زيدان زين سالم سامح سامي سعد سعيد سعودي سلامه سلطان سليم سليمان سمير سند سيد سيف شاكر شحاته شريف شعبان شعراوي
شفيق شكري شلبي شوقي صابر صادق صالح صبحي صبري صفوت صلاح ضياء طارق طلعت طه عادل عاشور عاطف عامر عباس عبده عثمان عدلي عرفه عزت
عزمي عصام عطيه عفيفي علاء علوان علي عماد عمار عمر عمرو عنتر عوض عويس عيد عيسى غالي غانم غريب فاروق فاضل فتحي فتوح فرج فرحات فريد
فكري فهمي فؤاد فوزي قاسم قرني قطب كامل كريم كمال لبيب لطفي ماجد مازن ماهر متولي مجدي محمد محمود محروس محسن مختار مدحت مراد مرسي
مرعي مسعد مسعود مصطفى مصيلحي معتز معوض مكرم ممدوح منصور منير مهدي موسى مؤمن ميلاد مينا نادر ناجي ناصر نبيل نجيب نزيه نسيم نصر
نصار نعيم نعمان هاني هشام هلال همام هيثم وائل وجدي وجيه وحيد وديع وليد ياسر ياسين يحيى يسري يعقوب يوسف يونس بطرس بولس جورج حنا
شنوده عبدالمسيح عزيز فانوس فلتس كيرلس لوقا مارك ماركو مجلي مرقص ميخائيل نصيف يسى ابانوب بيشوي رومانى صموئيل فيلوباتير
اسراء اسماء اسمهان اشجان الاء الهام امال اماني امل امنه اميره انتصار انجي ايات ايمان ايناس بسمه بسنت بشرى بهيه تغريد تهاني ثريا جميله
جنه جيهان حبيبه حسناء حنان حياه خديجه خلود داليا دعاء دينا رانيا رباب رحاب رحمه رشا رضوى رقيه روان ريم ريهام زينب زهراء سحر سعاد
سلمى سلوى سماح سمر سميره سناء سهام سهير سوسن شاديه شيماء شيرين صابرين صباح صفاء صفيه ضحى عائشه عبير عزه عفاف علا عليه فاطمه
فايزه فتحيه فرح فوزيه قمر كريمه لبنى لمياء ليلى مايسه مروه مريم منى منه مها ميار ميرفت ناديه ناهد نجلاء نجوى ندى نرمين نسرين نشوى
نعمه نفيسه نهى نهال نور نورا نوال هاجر هاله هبه هدى هند هناء وفاء ولاء ياسمين يسرا يمنى ماريان مارينا مريان ايرينى فيبي كاترين
ابوالعلا ابوالفتوح ابوالمجد ابوزيد ابوالنجا ابوالحسن ابوالعز اسكندر الجمال الجوهري الحسيني الحناوي الدسوقي الدمرداش
الرفاعي الزهيري السعدني السنوسي الشاذلي الشافعي الشرقاوي الشناوي الصعيدي الطحاوي العربي العشري الغزالي الفقي القاضي
القليوبي المصري المغربي المنشاوي المهدي النجار النحاس الهواري الوكيل بدير بخيت برعي بسطاويسي بطرس بلال بهنسي تهامي
جادالله جاد الكريم جبر جرجس جمعه حجاج حسانين حسب الله حسنين حلمي حمدان حمودة خلاف خيري دراز دياب رزق الله رشوان رمزي
زايد زغلول سرحان سعفان سلام سليمان سويلم شاهين شبل شحاته شرف شكري شلبي صادق صقر ضيف طنطاوي طلبه عبدالعال عبيد عثمان
عرابي عزب عسكر عطا عطا الله علام عمران عنان عوده غنيم فايد فراج فرغلي قطب قنديل كساب لبيب متولي مجاهد محفوظ مرزوق مسلم
مطاوع معوض منسي منصور موافي نافع نوار هلال هيكل وهدان يوسف ابوالخير ابوالوفا ابوبكر الصديق
احمد محمد محمود مصطفى ابراهيم اسماعيل مرقس عياد ملك نجيب ونيس فهيم ميخائيل عطيه جرجس غبريال منقريوس تادرس اسحق
زكي حكيم لمعي ناشد شاكر فوزي ثابت مسعد حبشي كامل رياض سدراك بشاي قلدس اقلاديوس باخوم بقطر بسادة ابادير
ادم ايهم بيجاد جاسر حمزه راكان ريان زياد سليم عبد الملك عمار فارس كنان مالك مروان معاذ يامن يزن ياسين ايسل
اروى الين بسمله تالين تقى جودي جوري حلا رزان رهف ريماس سيلا فريده لجين لمار ليان مريم ملك نادين نور الهدى هنا
`;
/** The parts of compound names (عبد + a divine name), which cards print as two words. */
const MORE_NAME_PARTS = `
عبد الله الرحمن الرحيم العزيز الحميد الفتاح الحليم الكريم المنعم العظيم الغني الستار الناصر الهادي الباسط الجواد الوهاب اللطيف
المجيد الحكيم السلام القادر الغفار التواب الصمد الرازق العال الحي القوي المعطي الرؤوف الخالق الباري العليم البديع الجليل
المقصود الشافي الموجود الحفيظ الوكيل الرشيد الحق النبي المطلب المحسن الفضيل الجابر المنصف الدايم المولي الرسول
`;

/** The divine names that follow عبد in compound names (MORE_NAME_PARTS without عبد itself), by comparison key. */
const DIVINE_NAMES: ReadonlySet<string> = new Set(MORE_NAME_PARTS.split(/\s+/).filter((w) => w && w !== 'عبد').map(compareKey));

/**
 * عبد read with a dot slip (عند, عيد) before a divine name (عبد الغفار as عند الغفار): the word is عبد. A known
 * name one dot from it (عيد) is not a name a divine name follows. Returns the line with such words put right and
 * how many were.
 */
export function abdBeforeDivineName(text: string): { text: string; fixed: number } {
  const words = text.split(' ');
  let fixed = 0;
  for (let i = 0; i + 1 < words.length; i++) {
    const key = compareKey(words[i]!);
    if (key !== 'عبد' && ocrDistance(key, 'عبد') === 0.5 && DIVINE_NAMES.has(compareKey(words[i + 1]!))) {
      words[i] = 'عبد';
      fixed++;
    }
  }
  return { text: words.join(' '), fixed };
}

/**
 * A name line corrected against the name lexicon, with عبد put right before a divine name (abdBeforeDivineName,
 * counted as a dot slip) both before the lexicon and after it: a divine name read with a slip (عند الففار) is
 * known only once the lexicon has put it right.
 */
export function correctNameLine(text: string): LineCorrection {
  const before = abdBeforeDivineName(text);
  const corrected = correctLine(before.text, nameLexicon());
  const after = abdBeforeDivineName(corrected.text);
  // Known and unknown words are those of the final line; the fixes are the lexicon's and both عبد passes'.
  const final = after.fixed ? correctLine(after.text, nameLexicon()) : corrected;
  const fixed = before.fixed + after.fixed;
  return { ...final, corrected: corrected.corrected + fixed, correctedDots: corrected.correctedDots + fixed, corrected2: corrected.corrected2 };
}

/** Common address words and place names beyond the generator's lists (general knowledge, not the eval cards). */
const MORE_PLACE_WORDS = `
شارع ش حاره عطفه زقاق ميدان طريق كورنيش عماره برج فيلا شقه الدور قريه عزبه كفر نجع منشيه منشاه مركز قسم حي الحي مدينه منطقه
مجموعه المجاوره مجاوره بلوك مساكن تقسيم امتداد خلف بجوار امام رقم اول ثان ثالث الاول الثاني الثالث الرابع الخامس السادس السابع
القبلي البحري الشرقي الغربي الجديده الجديد القديمه القديم الكبري الصغري الكبير الصغير العليا السفلي شياخه بندر ناحيه جزيره
الشيخ سيدي ابو بني ميت دير كوم تل نزله ساحل عرب بحري قبلي شرق غرب شمال جنوب وسط المدينه الحديثه السلام النور الامل
الزهور الرياض الجامعه المستشفى المحطه المدارس السوق البحر النيل الترعه المصرف الكوبري المزلقان الجبانه الجامع الكنيسه
المنشيه الحرفيين العمال الضباط الموظفين الاوقاف الاسكان الشباب المستقبل العبور الشروق الرحاب السادس اكتوبر العاشر رمضان
السادات بدر العبور زايد المقطم المعادي حلوان شبرا الخيمه امبابه الدقي العجوزه الهرم فيصل بولاق الوراق اوسيم كرداسه البدرشين
الاولي السادسه السابعه الثامنه النخل النخيل
العياط الصف اطفيح الحوامديه ابو النمرس منشاه القناطر الباجور منوف اشمون تلا شبين الكوم السادات قويسنا بركه السبع الشهداء
طنطا المحله الكبرى كفر الزيات زفتى السنطه سمنود بسيون قطور المنصوره طلخا ميت غمر السنبلاوين بلقاس دكرنس شربين المنزله
الزقازيق بلبيس منيا القمح ابو حماد ههيا فاقوس ديرب نجم كفر صقر الحسينيه بنها قليوب شبين القناطر طوخ قها الخانكه العبور
دمنهور كفر الدوار رشيد ادكو ابو المطامير حوش عيسى كوم حماده ايتاي البارود الدلنجات شبراخيت المحموديه وادي النطرون
دسوق فوه مطوبس سيدي سالم الرياض بيلا الحامول قلين الفيوم سنورس اطسا طاميه ابشواي يوسف الصديق بني سويف الواسطي ناصر
اهناسيا ببا الفشن سمسطا المنيا مغاغه بني مزار مطاي سمالوط ملوي دير مواس العدوه اسيوط ديروط القوصيه منفلوط ابنوب الفتح ساحل
سليم البداري صدفا الغنايم ابو تيج سوهاج اخميم طهطا طما جرجا البلينا المراغه ساقلته دار السلام المنشاه جهينه قنا نقاده قوص
دشنا نجع حمادي فرشوط ابو تشت الوقف قفط الاقصر ارمنت اسنا الطود البياضيه القرنه اسوان كوم امبو ادفو دراو نصر النوبه
بورسعيد الاسماعيليه السويس دمياط فارسكور كفر سعد الزرقا كفر البطيخ راس البر الغردقه العريش الطور الخارجه مرسى مطروح
الاسكندريه المنتزه الرمل سيدي جابر محرم بك العطارين الجمرك اللبان كرموز مينا البصل الدخيله العامريه برج العرب العجمي
`;

/** Comparison key → the word as cards print it (no hamza on a leading alef, final ى). */
function lexiconOf(sources: Iterable<string>): Map<string, string> {
  const words = new Map<string, string>();
  for (const phrase of sources) {
    for (const w of phrase.split(/\s+/)) {
      const key = compareKey(w);
      if (key && !/\d/.test(key) && !words.has(key)) words.set(key, cardSpelling(w));
    }
  }
  return words;
}

/** Letters that differ only in their dots: OCR confuses these far more often than other pairs. */
const SAME_SKELETON: readonly string[] = ['جحخ', 'بتثنيى', 'دذ', 'رز', 'سش', 'صض', 'طظ', 'عغ', 'فق', 'هة'];
const skeletonOf = new Map<string, number>();
SAME_SKELETON.forEach((group, i) => {
  for (const ch of group) skeletonOf.set(ch, i);
});

/**
 * Edit distance in which swapping two letters of the same dotless skeleton (ج/ح, ب/ت/ن, ر/ز, ...) costs half:
 * جورح is then nearer to جورج than to جوري, and a tie between them does not block the fix.
 */
export function ocrDistance(a: string, b: string): number {
  return levenshtein(a, b, (x, y) => (skeletonOf.has(x) && skeletonOf.get(x) === skeletonOf.get(y) ? 0.5 : 1));
}

/** A set of words with lookup of the unique nearest word within a few edits. */
export class WordLexicon {
  private readonly byLength = new Map<number, string[]>();

  constructor(private readonly words: Map<string, string>) {
    for (const w of words.keys()) {
      const n = Array.from(w).length;
      if (!this.byLength.has(n)) this.byLength.set(n, []);
      this.byLength.get(n)!.push(w);
    }
  }

  /** Whole phrases (place names of several words stay one entry), each shown as given. */
  static ofPhrases(phrases: Iterable<string>): WordLexicon {
    return new WordLexicon(new Map(Array.from(phrases, (p) => [compareKey(p), p] as [string, string])));
  }

  has(word: string): boolean {
    return this.words.has(compareKey(word));
  }

  /** The word as cards print it. */
  display(key: string): string {
    return this.words.get(key) ?? key;
  }

  /** The unique lexicon word within `maxDistance` edits closest to `word`, or null (none, or a tie). */
  nearest(word: string, maxDistance: number): { word: string; distance: number } | null {
    const key = compareKey(word);
    const n = Array.from(key).length;
    let best: { word: string; distance: number } | null = null;
    let tie = false;
    for (let len = n - maxDistance; len <= n + maxDistance; len++) {
      for (const w of this.byLength.get(len) ?? []) {
        const d = ocrDistance(key, w);
        if (d > maxDistance) continue;
        if (!best || d < best.distance) {
          best = { word: w, distance: d };
          tie = false;
        } else if (d === best.distance && w !== best.word) tie = true;
      }
    }
    return best && !tie ? best : null;
  }
}

/** Common occupations and employers on the back's job lines (general knowledge, not the eval cards). */
const MORE_JOB_WORDS = `
طالب طالبه موظف موظفه مهندس مهندسه طبيب طبيبه بشري بشريه اسنان بيطري صيدلي صيدليه محاسب محاسبه مدرس مدرسه معلم معلمه
محامي محاميه مزارع عامل عامله سائق نجار حداد سباك كهربائي ميكانيكي فني فنيه ممرض ممرضه تاجر تاجره اعمال حره ربه منزل
بالمعاش بدون عمل لا يعمل ضابط شرطه جيش مجند مساعد امين عسكري رقيب مدير مديره اداره رئيس قسم اخصائي اخصائيه باحث باحثه
مبرمج مبرمجه مصمم مصممه صحفي صحفيه مترجم مترجمه استاذ جامعي دكتور معيد مهني حرفي بائع بائعه خياط خياطه حلاق طباخ
عامل زراعي صناعي مقاول سكرتير سكرتيره كاتب كاتبه مراقب ملاحظ مندوب مبيعات مشرف مشرفه امن حارس خفير فلاح صياد
وزاره التربيه والتعليم الصحه والسكان الزراعه الداخليه الدفاع العدل الماليه الكهرباء الطاقه البترول الاوقاف التموين
مديريه هيئه الهيئه القوميه العامه للبريد للتأمين الاجتماعي مصلحه الضرائب الجمارك الشهر العقاري مجلس مدينه محافظه
شركه الشركه المصريه للاتصالات القطاع الخاص العام الاعمال بنك البنك الاهلي المصري مصر القاهره مستشفى جامعه كليه معهد مدرسه
السكه الحديد مترو الانفاق النقل العام المقاولون العرب للبترول للكهرباء للطيران السويدي للكابلات الازهر الشريف
`;

let names: WordLexicon | undefined;
let jobs: WordLexicon | undefined;

/** Occupations and employers (job and job-title lines). */
export function jobLexicon(): WordLexicon {
  jobs ??= new WordLexicon(lexiconOf([...JOBS.flatMap(([male, female, , employers]) => [male, female, ...employers]), MORE_JOB_WORDS]));
  return jobs;
}

let places: WordLexicon | undefined;

/** Given names, family names and name particles. */
export function nameLexicon(): WordLexicon {
  names ??= new WordLexicon(lexiconOf([...[...MALE_NAMES, ...FEMALE_NAMES, ...FAMILY_NAMES, ...NAME_PARTICLES].map(([ar]) => ar), MORE_NAMES, MORE_NAME_PARTS]));
  return names;
}

/** Address words, districts, governorates, streets and villages; streets are often named after people. */
export function placeLexicon(): WordLexicon {
  places ??= new WordLexicon(
    lexiconOf([
      ...Object.values(DISTRICTS).flatMap((ds) => ds.map((d) => d.ar)),
      ...Object.values(GOVERNORATES).map((g) => g.ar),
      ...STREET_NAMES.map(([ar]) => ar),
      ...VILLAGE_NAMES.map(([ar]) => ar),
      ...Object.keys(ADDRESS_WORDS),
      MORE_PLACE_WORDS,
      ...[...MALE_NAMES, ...FEMALE_NAMES, ...FAMILY_NAMES, ...NAME_PARTICLES].map(([ar]) => ar),
      MORE_NAMES,
      MORE_NAME_PARTS,
    ]),
  );
  return places;
}

export interface LineCorrection {
  text: string;
  /** Words found in the lexicon as read. */
  known: number;
  /** Words replaced by a unique lexicon word within edit distance 1 (or joined from a split word). */
  corrected: number;
  /** Of `corrected`, those that only swapped letters of the same dotless shape (the commonest OCR slip). */
  correctedDots: number;
  /** Words replaced at edit distance 2 (long words only). */
  corrected2: number;
  /** Words left as read (not in the lexicon, no unique near word). */
  unknown: number;
}

/**
 * Address line 1 names streets and villages no lexicon holds: where one of its words is not known, a word changed
 * to a known one (other than a dot slip) is a guess among names. A real card's village was "corrected" to another
 * place this way; on the calibration set (seed 3, 386 fronts) the rule flags one wrong line and no right one.
 */
export function guessedAmongNames(fix: LineCorrection): boolean {
  return fix.corrected > fix.correctedDots && fix.unknown > 0;
}

/**
 * Corrects a line word by word against a lexicon. Split words are joined first when the join is a word (or one
 * edit from exactly one) and the parts are not (or the tail alone is not, see below). Then each unknown word becomes its unique nearest word within
 * one edit, or two edits for words of six or more letters, where a second slip is common and words are far
 * apart. Short words need an exact match or a single edit: a two-letter difference in a four-letter name is
 * another name. Numbers and punctuation pass through untouched.
 */
export function correctLine(text: string, lexicon: WordLexicon): LineCorrection {
  // A dash glued between two words ("الاول-المجاوره") separates them: each is checked on its own.
  const raw = text.split(' ').filter(Boolean).flatMap((w) => (/^[\u0621-\u064A]+-[\u0621-\u064A]+$/.test(w) ? w.replace('-', ' - ').split(' ') : [w]));
  const out: string[] = [];
  const result: LineCorrection = { text: '', known: 0, corrected: 0, correctedDots: 0, corrected2: 0, unknown: 0 };
  const isWord = (w: string) => /^[\u0621-\u064A]+$/.test(w);
  for (let i = 0; i < raw.length; i++) {
    const w = raw[i]!;
    const next = raw[i + 1];
    if (!isWord(w)) {
      out.push(w);
      continue;
    }
    // A split word: the next word is not a word on its own and the join is one (or, when neither part is a
    // word, one edit from exactly one). A known word can still be the head of a split one ("الا ول" is "الاول"),
    // but then only a short tail is joined, and only into a word as it stands.
    const known = lexicon.has(w);
    if (next && isWord(next) && !lexicon.has(next) && (!known || Array.from(next).length <= 3)) {
      const exact = lexicon.has(w + next);
      const joined = exact ? compareKey(w + next) : known ? undefined : lexicon.nearest(w + next, 1)?.word;
      if (joined) {
        out.push(lexicon.display(joined));
        result.corrected++;
        // A word split in two and joined back exactly is as safe as a dot slip.
        if (exact) result.correctedDots++;
        i++;
        continue;
      }
    }
    if (known) {
      out.push(w);
      result.known++;
      continue;
    }
    const len = Array.from(compareKey(w)).length;
    const near = len >= 3 ? lexicon.nearest(w, len >= 6 ? 2 : 1) : null;
    if (near) {
      out.push(lexicon.display(near.word));
      if (near.distance <= 1) result.corrected++;
      else result.corrected2++;
      if (near.distance === 0.5) result.correctedDots++;
    } else {
      out.push(w);
      result.unknown++;
    }
  }
  result.text = out.join(' ');
  return result;
}
