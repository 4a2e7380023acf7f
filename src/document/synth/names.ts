/**
 * Common Egyptian names with their usual Egyptian Latin spellings (as seen on Egyptian passports and in
 * everyday use: Mohamed, Ahmed, Mahmoud, Mostafa, Abdelrahman, Elsayed, …).
 *
 * Used twice: by the transliterator (src/document/transliterate.ts) as its dictionary, and by the
 * synthetic card generator to draw realistic names. Arabic is written in standard spelling (with hamza
 * and final ي/ة); the card printing convention (no hamza on alef, final ي → ى) is applied by the
 * generator, and lookups in the transliterator are spelling-insensitive.
 *
 * Each entry: [arabic, latin, weight?] — weight ~ relative frequency for the generator (default 1).
 */

export type NameEntry = readonly [ar: string, en: string, weight?: number];

export const MALE_NAMES: readonly NameEntry[] = [
  ['محمد', 'Mohamed', 40], ['أحمد', 'Ahmed', 25], ['محمود', 'Mahmoud', 15], ['مصطفى', 'Mostafa', 10],
  ['علي', 'Aly', 10], ['حسن', 'Hassan', 8], ['حسين', 'Hussein', 7], ['إبراهيم', 'Ibrahim', 8],
  ['عبد الرحمن', 'Abdelrahman', 7], ['عبد الله', 'Abdallah', 7], ['خالد', 'Khaled', 6], ['عمر', 'Omar', 7],
  ['يوسف', 'Youssef', 7], ['السيد', 'Elsayed', 6], ['سيد', 'Sayed', 4], ['طارق', 'Tarek', 4],
  ['عمرو', 'Amr', 5], ['كريم', 'Karim', 4], ['هشام', 'Hesham', 4], ['وليد', 'Walid', 4], ['أيمن', 'Ayman', 4],
  ['أشرف', 'Ashraf', 4], ['إسلام', 'Eslam', 4], ['إسماعيل', 'Ismail', 3], ['أسامة', 'Osama', 4],
  ['جمال', 'Gamal', 3], ['سامح', 'Sameh', 3], ['سامي', 'Samy', 3], ['سمير', 'Samir', 3], ['شريف', 'Sherif', 4],
  ['عادل', 'Adel', 3], ['عاطف', 'Atef', 2], ['عصام', 'Essam', 3], ['عماد', 'Emad', 3], ['فتحي', 'Fathy', 2],
  ['فريد', 'Farid', 2], ['ماجد', 'Maged', 2], ['مجدي', 'Magdy', 2], ['محسن', 'Mohsen', 2], ['مدحت', 'Medhat', 2],
  ['ممدوح', 'Mamdouh', 2], ['منير', 'Mounir', 2], ['ناصر', 'Nasser', 2], ['نبيل', 'Nabil', 2], ['هاني', 'Hany', 3],
  ['وائل', 'Wael', 3], ['ياسر', 'Yasser', 3], ['يحيى', 'Yehia', 2], ['زكريا', 'Zakaria', 2], ['رضا', 'Reda', 2],
  ['رمضان', 'Ramadan', 2], ['رجب', 'Ragab', 1], ['شعبان', 'Shaaban', 1], ['صلاح', 'Salah', 2], ['صابر', 'Saber', 1],
  ['سعيد', 'Saeed', 2], ['سعد', 'Saad', 2], ['سليمان', 'Soliman', 2], ['سلامة', 'Salama', 1], ['عبد العزيز', 'Abdelaziz', 2],
  ['عبد الحميد', 'Abdelhamid', 2], ['عبد الفتاح', 'Abdelfattah', 2], ['عبد الحليم', 'Abdelhalim', 1],
  ['عبد الرحيم', 'Abdelrahim', 1], ['عبد الكريم', 'Abdelkarim', 1], ['عبد المنعم', 'Abdelmoneim', 1],
  ['عبد العظيم', 'Abdelazim', 1], ['عبد الغني', 'Abdelghany', 1], ['عبد الستار', 'Abdelsattar', 1],
  ['عبد الناصر', 'Abdelnasser', 1], ['عبد الهادي', 'Abdelhady', 1], ['عبد الباسط', 'Abdelbasset', 1],
  ['عبد الجواد', 'Abdelgawad', 1], ['عبد الوهاب', 'Abdelwahab', 1], ['عبد اللطيف', 'Abdellatif', 1],
  ['عبد المجيد', 'Abdelmeguid', 1], ['عبد الحكيم', 'Abdelhakim', 1], ['عبد السلام', 'Abdelsalam', 1],
  ['عبد القادر', 'Abdelkader', 1], ['عبد الغفار', 'Abdelghaffar', 1], ['عبد التواب', 'Abdeltawab', 1],
  ['عبد الصمد', 'Abdelsamad', 1], ['عبد الرازق', 'Abdelrazek', 1], ['عبد العال', 'Abdelaal', 1],
  ['عبد ربه', 'Abdrabbo', 1], ['عبده', 'Abdo', 1], ['أنور', 'Anwar', 1], ['أنس', 'Anas', 2], ['باسم', 'Bassem', 2],
  ['بلال', 'Belal', 2], ['تامر', 'Tamer', 3], ['ثروت', 'Tharwat', 1], ['جابر', 'Gaber', 1], ['جلال', 'Galal', 1],
  ['حازم', 'Hazem', 2], ['حاتم', 'Hatem', 2], ['حامد', 'Hamed', 2], ['حمدي', 'Hamdy', 2], ['حسام', 'Hossam', 3],
  ['حمادة', 'Hamada', 1], ['خليل', 'Khalil', 1], ['رامي', 'Ramy', 2], ['رأفت', 'Raafat', 1], ['رشاد', 'Rashad', 1],
  ['رفعت', 'Refaat', 1], ['زياد', 'Ziad', 2], ['زين', 'Zein', 1], ['سالم', 'Salem', 1], ['سعدي', 'Saady', 1],
  ['شادي', 'Shady', 2], ['شوقي', 'Shawky', 1], ['صبري', 'Sabry', 1], ['صفوت', 'Safwat', 1], ['طه', 'Taha', 1],
  ['عاصم', 'Assem', 1], ['عبده', 'Abdo', 1], ['عثمان', 'Osman', 1], ['عزت', 'Ezzat', 1], ['علاء', 'Alaa', 2],
  ['عوض', 'Awad', 1], ['عيد', 'Eid', 1], ['عيسى', 'Eissa', 1], ['فؤاد', 'Fouad', 1], ['فارس', 'Fares', 1],
  ['فاروق', 'Farouk', 1], ['فهمي', 'Fahmy', 1], ['فوزي', 'Fawzy', 1], ['قاسم', 'Kassem', 1], ['كمال', 'Kamal', 2],
  ['لطفي', 'Lotfy', 1], ['مأمون', 'Mamoun', 1], ['مازن', 'Mazen', 1], ['مالك', 'Malek', 1], ['متولي', 'Metwally', 1],
  ['مجدى', 'Magdy', 0], ['مراد', 'Morad', 1], ['مرسي', 'Morsy', 1], ['مروان', 'Marwan', 2], ['مسعد', 'Mosaad', 1],
  ['مصطفي', 'Mostafa', 0], ['معتز', 'Moataz', 1], ['منصور', 'Mansour', 1], ['مهدي', 'Mahdy', 1], ['موسى', 'Moussa', 1],
  ['مؤمن', 'Moamen', 1], ['نادر', 'Nader', 1], ['نصر', 'Nasr', 1], ['نور الدين', 'Nour Eldin', 1], ['هيثم', 'Haitham', 2],
  ['وجيه', 'Wagih', 1], ['وحيد', 'Wahid', 1], ['ياسين', 'Yassin', 2], ['يونس', 'Younes', 1], ['صلاح الدين', 'Salah Eldin', 1],
  ['عز الدين', 'Ezz Eldin', 1], ['سيف', 'Seif', 2], ['سيف الدين', 'Seif Eldin', 1], ['بهاء', 'Bahaa', 1],
  ['ضياء', 'Diaa', 1], ['إيهاب', 'Ehab', 2], ['إيهاب', 'Ehab', 0], ['إمام', 'Emam', 1], ['أمين', 'Amin', 1],
  ['أمير', 'Amir', 1], ['أكرم', 'Akram', 1], ['أدهم', 'Adham', 1], ['أسعد', 'Asaad', 1], ['الحسيني', 'Elhosseiny', 1],
  ['بكر', 'Bakr', 1], ['أبو بكر', 'Abou Bakr', 1], ['توفيق', 'Tawfik', 1], ['جرجس', 'Gerges', 2], ['جورج', 'George', 2],
  ['مينا', 'Mina', 3], ['بيتر', 'Peter', 2], ['بولس', 'Boules', 1], ['بطرس', 'Boutros', 1], ['شنودة', 'Shenouda', 1],
  ['كيرلس', 'Kirollos', 2], ['مرقس', 'Morcos', 1], ['ميخائيل', 'Mikhail', 1], ['عادل', 'Adel', 0], ['فادي', 'Fady', 2],
  ['رامز', 'Ramez', 1], ['هاني', 'Hany', 0], ['نشأت', 'Nashaat', 1], ['ناجي', 'Nagy', 1], ['نجيب', 'Naguib', 1],
  ['حنفي', 'Hanafy', 1], ['عرفة', 'Arafa', 1], ['الشحات', 'Elshahat', 1], ['المتولي', 'Elmetwally', 1],
  ['البدري', 'Elbadry', 1], ['الحسن', 'Elhassan', 1], ['سند', 'Sanad', 1], ['حماده', 'Hamada', 0], ['شحاتة', 'Shehata', 1],
  ['عطية', 'Attia', 1], ['عوني', 'Awny', 1], ['غريب', 'Gharib', 1], ['مختار', 'Mokhtar', 1], ['مرزوق', 'Marzouk', 1],
  ['مسعود', 'Masoud', 1], ['يسري', 'Yousry', 1], ['رشدي', 'Roshdy', 1], ['حلمي', 'Helmy', 1], ['زكي', 'Zaki', 1],
  ['صادق', 'Sadek', 1], ['صبحي', 'Sobhy', 1], ['عرابي', 'Orabi', 1], ['نعيم', 'Naeem', 1], ['هلال', 'Helal', 1],
];

export const FEMALE_NAMES: readonly NameEntry[] = [
  ['فاطمة', 'Fatma', 10], ['مريم', 'Mariam', 8], ['آية', 'Aya', 6], ['نورا', 'Noura', 4], ['نور', 'Nour', 5],
  ['سارة', 'Sara', 6], ['منى', 'Mona', 5], ['هدى', 'Hoda', 4], ['أميرة', 'Amira', 4], ['أسماء', 'Asmaa', 5],
  ['إيمان', 'Eman', 5], ['آمال', 'Amal', 2], ['أمل', 'Amal', 3], ['دعاء', 'Doaa', 4], ['رحاب', 'Rehab', 3],
  ['زينب', 'Zeinab', 5], ['سلمى', 'Salma', 5], ['سماح', 'Samah', 3], ['شيماء', 'Shaimaa', 5], ['عائشة', 'Aisha', 3],
  ['علياء', 'Alyaa', 2], ['غادة', 'Ghada', 3], ['ياسمين', 'Yasmin', 5], ['هبة', 'Heba', 5], ['هند', 'Hind', 3],
  ['وفاء', 'Wafaa', 3], ['رانيا', 'Rania', 4], ['داليا', 'Dalia', 3], ['دينا', 'Dina', 4], ['ريهام', 'Reham', 3],
  ['نهى', 'Noha', 3], ['نهال', 'Nehal', 2], ['نجلاء', 'Naglaa', 2], ['نادية', 'Nadia', 2], ['ناهد', 'Nahed', 2],
  ['مها', 'Maha', 3], ['مروة', 'Marwa', 4], ['ميرفت', 'Mervat', 2], ['منال', 'Manal', 3], ['ليلى', 'Laila', 2],
  ['ليلي', 'Laila', 0], ['لمياء', 'Lamiaa', 2], ['حنان', 'Hanan', 3], ['حبيبة', 'Habiba', 4], ['خديجة', 'Khadiga', 3],
  ['رضوى', 'Radwa', 2], ['رقية', 'Roqaya', 2], ['روان', 'Rawan', 2], ['سعاد', 'Soad', 2], ['سناء', 'Sanaa', 2],
  ['سهام', 'Seham', 2], ['سهير', 'Soheir', 1], ['سوزان', 'Suzan', 1], ['شروق', 'Shorouk', 2], ['صفاء', 'Safaa', 2],
  ['عبير', 'Abeer', 2], ['عزة', 'Azza', 2], ['فريدة', 'Farida', 2], ['كريمة', 'Karima', 1], ['لبنى', 'Lobna', 2],
  ['ماجدة', 'Magda', 2], ['مي', 'Mai', 3], ['نسرين', 'Nesreen', 2], ['نيرة', 'Nayera', 1], ['هالة', 'Hala', 2],
  ['هناء', 'Hanaa', 2], ['وسام', 'Wesam', 1], ['يارا', 'Yara', 2], ['جميلة', 'Gamila', 1], ['جنى', 'Gana', 2],
  ['جيهان', 'Gihan', 1], ['حسناء', 'Hasnaa', 1], ['حنين', 'Hanin', 1], ['رشا', 'Rasha', 3], ['رحمة', 'Rahma', 3],
  ['سمر', 'Samar', 2], ['سمية', 'Somaya', 2], ['شهد', 'Shahd', 2], ['عفاف', 'Afaf', 1], ['فايزة', 'Fayza', 1],
  ['كوثر', 'Kawthar', 1], ['ملك', 'Malak', 3], ['ندى', 'Nada', 4], ['نرمين', 'Nermin', 2], ['نعمة', 'Neama', 1],
  ['نوال', 'Nawal', 1], ['هاجر', 'Hagar', 3], ['وداد', 'Wedad', 1], ['إسراء', 'Esraa', 4], ['إنجي', 'Engy', 1],
  ['أمنية', 'Omnia', 3], ['ابتسام', 'Ebtesam', 1], ['بسمة', 'Basma', 2], ['تسنيم', 'Tasneem', 2], ['تقى', 'Toqa', 1],
  ['دنيا', 'Donia', 2], ['رغدة', 'Raghda', 1], ['زهراء', 'Zahraa', 1], ['ميار', 'Mayar', 1], ['مارينا', 'Marina', 2],
  ['مريانا', 'Mariana', 1], ['ماريا', 'Maria', 1], ['كريستين', 'Christine', 1], ['إيريني', 'Ereny', 1], ['مادونا', 'Madonna', 1],
  ['فيفيان', 'Vivian', 1], ['نرمين', 'Nermeen', 0], ['هيام', 'Hayam', 1], ['وئام', 'Weam', 1], ['أماني', 'Amany', 3],
  ['تهاني', 'Tahany', 1], ['سحر', 'Sahar', 2], ['شيرين', 'Sherine', 2], ['عواطف', 'Awatef', 1], ['فوزية', 'Fawzia', 1],
  ['نفيسة', 'Nefisa', 1], ['بثينة', 'Bothaina', 1], ['إنصاف', 'Ensaf', 1], ['اعتماد', 'Eatemad', 1], ['زينات', 'Zeinat', 1],
];

/**
 * Family names and other names that appear in the father/grandfather/family part of a name (line 2).
 * Given names of men are used there too (a person's line 2 is father + grandfather + family).
 */
export const FAMILY_NAMES: readonly NameEntry[] = [
  ['الشافعي', 'Elshafei'], ['المصري', 'Elmasry'], ['الشريف', 'Elsherif'], ['النجار', 'Elnaggar'], ['الحداد', 'Elhaddad'],
  ['العطار', 'Elattar'], ['الخياط', 'Elkhayat'], ['الجمال', 'Elgammal'], ['الفقي', 'Elfeki'], ['البنا', 'Elbanna'],
  ['الشناوي', 'Elshenawy'], ['الدسوقي', 'Eldesouky'], ['المنشاوي', 'Elmenshawy'], ['الطوخي', 'Eltoukhy'], ['الصعيدي', 'Elsaidy'],
  ['الغندور', 'Elghandour'], ['الحلواني', 'Elhelwany'], ['البدوي', 'Elbadawy'], ['الزيات', 'Elzayat'], ['السقا', 'Elsakka'],
  ['الشاذلي', 'Elshazly'], ['العربي', 'Elaraby'], ['الخولي', 'Elkholy'], ['الجندي', 'Elgendy'], ['الديب', 'Eldeeb'],
  ['الفخراني', 'Elfakharany'], ['القاضي', 'Elkady'], ['الهواري', 'Elhawary'], ['الكردي', 'Elkordy'], ['الطحان', 'Eltahan'],
  ['عبد الغفار', 'Abdelghaffar'], ['عبد الحافظ', 'Abdelhafez'], ['عبد المقصود', 'Abdelmaksoud'], ['عبد الرؤوف', 'Abdelraouf'],
  ['عبد الموجود', 'Abdelmawgoud'], ['عبد العليم', 'Abdelalim'], ['عبد الشافي', 'Abdelshafy'], ['عبد الدايم', 'Abdeldayem'],
  ['أبو زيد', 'Abou Zeid'], ['أبو العلا', 'Abou Elela'], ['أبو الفتوح', 'Abou Elfotouh'], ['أبو حسين', 'Abou Hussein'],
  ['أبو شادي', 'Abou Shady'], ['أبو المجد', 'Abou Elmagd'], ['أبو سريع', 'Abou Seree'],
  ['حسانين', 'Hassanein'], ['حسان', 'Hassan'], ['سلام', 'Salam'], ['شلبي', 'Shalaby'], ['عفيفي', 'Afifi'],
  ['غنيم', 'Ghoneim'], ['فرج', 'Farag'], ['قنديل', 'Kandil'], ['مرعي', 'Marey'], ['نصار', 'Nassar'], ['هيكل', 'Heikal'],
  ['يونس', 'Younes'], ['بدوي', 'Badawy'], ['بيومي', 'Bayoumi'], ['جاد', 'Gad'], ['جاد الله', 'Gadallah'], ['حجازي', 'Hegazy'],
  ['حمدان', 'Hamdan'], ['خضر', 'Khedr'], ['درويش', 'Darwish'], ['رزق', 'Rizk'], ['زغلول', 'Zaghloul'], ['سرور', 'Sorour'],
  ['شحاته', 'Shehata'], ['شكري', 'Shoukry'], ['صقر', 'Sakr'], ['طلبة', 'Tolba'], ['عبيد', 'Obeid'], ['عطا الله', 'Atallah'],
  ['عمران', 'Omran'], ['غالي', 'Ghaly'], ['فراج', 'Farrag'], ['قطب', 'Kotb'], ['كامل', 'Kamel'], ['لبيب', 'Labib'],
  ['متولى', 'Metwally'], ['مكي', 'Makky'], ['منسي', 'Mansy'], ['نوح', 'Nouh'], ['هلالي', 'Helaly'], ['وهبة', 'Wahba'],
  ['يعقوب', 'Yacoub'], ['حنا', 'Hanna'], ['عزيز', 'Aziz'], ['اسكندر', 'Iskandar'], ['تادرس', 'Tadros'], ['جرجس', 'Gerges'],
  ['رزق الله', 'Rizkallah'], ['عبد المسيح', 'Abdelmessih'], ['عبد الملاك', 'Abdelmalak'], ['فلتس', 'Feltes'], ['ميلاد', 'Milad'],
  ['نصيف', 'Nassif'], ['سعد الله', 'Saadallah'], ['فضل الله', 'Fadlallah'], ['خير الله', 'Khairallah'], ['نصر الله', 'Nasrallah'],
  ['السرنجاوي', 'Elsarangawy'], ['البحيري', 'Elbeheiry'], ['المنوفي', 'Elmenoufy'], ['الأسيوطي', 'Elassiouty'],
  ['الإسكندراني', 'Eleskandarany'], ['الدمياطي', 'Eldomiaty'], ['السويفي', 'Elsewefy'], ['الفيومي', 'Elfayoumy'],
  ['الأقصري', 'Elaksary'], ['الأسواني', 'Elaswany'], ['القناوي', 'Elkenawy'], ['السوهاجي', 'Elsohagy'], ['المنياوي', 'Elmenyawy'],
  ['الطنطاوي', 'Eltantawy'], ['الزقازيقي', 'Elzakazeeky'], ['البلتاجي', 'Elbeltagy'], ['الشرقاوي', 'Elsharkawy'],
  ['الغرباوي', 'Elgharbawy'], ['الحناوي', 'Elhenawy'], ['الشربيني', 'Elsherbiny'], ['الكومي', 'Elkomy'], ['الجزار', 'Elgazzar'],
  ['الصياد', 'Elsayad'], ['الشيخ', 'Elsheikh'], ['عفيفى', 'Afifi', 0], ['عوض الله', 'Awadallah'], ['حسب الله', 'Hasaballah'],
];

/** Particles and name parts with fixed spellings. */
export const NAME_PARTICLES: readonly NameEntry[] = [
  ['بن', 'Bin'], ['ابن', 'Ibn'], ['بنت', 'Bint'], ['أبو', 'Abou'], ['أم', 'Om'], ['الدين', 'Eldin'], ['الله', 'Allah'],
  ['عبد', 'Abd'], ['ال', 'El'],
];

/** Names used (almost) only by Egyptian Christians. */
export const CHRISTIAN_NAMES: ReadonlySet<string> = new Set([
  'جرجس', 'جورج', 'مينا', 'بيتر', 'بولس', 'بطرس', 'شنودة', 'كيرلس', 'مرقس', 'ميخائيل', 'فادي', 'رامز',
  'مارينا', 'مريانا', 'ماريا', 'كريستين', 'إيريني', 'مادونا', 'فيفيان', 'حنا', 'اسكندر', 'تادرس', 'رزق الله',
  'عبد المسيح', 'عبد الملاك', 'فلتس', 'ميلاد', 'نصيف', 'لبيب', 'غالي', 'يعقوب', 'عزيز', 'وهبة',
]);

/** Names common to Muslims and Christians in Egypt (usable on either kind of card). */
export const SHARED_NAMES: ReadonlySet<string> = new Set([
  'عادل', 'سامح', 'سامي', 'سمير', 'شريف', 'عماد', 'عصام', 'هاني', 'مجدي', 'ماجد', 'نبيل', 'فريد', 'رامي', 'أشرف',
  'أيمن', 'وائل', 'طارق', 'كمال', 'مدحت', 'ممدوح', 'منير', 'نادر', 'هشام', 'عاطف', 'صفوت', 'رأفت', 'رفعت', 'ثروت',
  'نشأت', 'ناجي', 'نجيب', 'إيهاب', 'وجيه', 'وحيد', 'صبري', 'لطفي', 'فوزي', 'فؤاد', 'حلمي', 'رشدي', 'يوسف', 'جمال',
  'أمير', 'كامل', 'شكري', 'صادق', 'ميلاد', 'سعد', 'فايز', 'باسم', 'تامر', 'شادي', 'هيثم', 'أنور', 'جلال', 'مراد',
  'منى', 'مها', 'هالة', 'نادية', 'سوزان', 'داليا', 'دينا', 'رانيا', 'ياسمين', 'مي', 'نهى', 'سمر', 'سحر', 'شيرين',
  'جيهان', 'ليلى', 'أميرة', 'نيرة', 'منال', 'نجلاء', 'عبير', 'ماجدة', 'ميرفت', 'نرمين', 'نسرين', 'سلمى', 'سارة',
  'مريم', 'يارا', 'ملك', 'فريدة', 'هناء', 'عفاف', 'سهير', 'نوال', 'أماني', 'تهاني', 'إنجي', 'ناهد', 'فايزة',
]);

/** Sum of entries, for tests. */
export function dictionarySize(): number {
  const keys = new Set<string>();
  for (const list of [MALE_NAMES, FEMALE_NAMES, FAMILY_NAMES, NAME_PARTICLES]) for (const [ar] of list) keys.add(ar);
  return keys.size;
}
