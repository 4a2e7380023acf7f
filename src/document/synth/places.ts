/**
 * Egyptian places for addresses: districts (أقسام / مراكز / new cities) per governorate, with English names,
 * plus street names and address words. Used by the generator (address lines) and by the transliterator
 * (governorate/district English names).
 *
 * Real card address line 2 reads "<district> - <governorate>", e.g. "مركز البدرشين - الجيزه",
 * "الشيخ زايد - الجيزه", "التجمع الاول - القاهره". `kind` says how the district is usually printed:
 * 'markaz' → "مركز X", 'qism' → "قسم X" or plain "X", 'city' → plain name.
 */

export interface District {
  ar: string;
  en: string;
  kind: 'markaz' | 'qism' | 'city';
}

type D = readonly [ar: string, en: string, kind?: District['kind']];

const RAW: Record<string, readonly D[]> = {
  '01': [
    ['مدينة نصر', 'Nasr City', 'qism'], ['مصر الجديدة', 'Heliopolis', 'qism'], ['المعادي', 'El Maadi', 'qism'],
    ['حلوان', 'Helwan', 'qism'], ['شبرا', 'Shubra', 'qism'], ['عين شمس', 'Ain Shams', 'qism'], ['المطرية', 'El Matareya', 'qism'],
    ['الزيتون', 'El Zeitoun', 'qism'], ['السيدة زينب', 'El Sayeda Zeinab', 'qism'], ['الخليفة', 'El Khalifa', 'qism'],
    ['المرج', 'El Marg', 'qism'], ['الزاوية الحمراء', 'El Zawya El Hamra', 'qism'], ['دار السلام', 'Dar El Salam', 'qism'],
    ['البساتين', 'El Basatin', 'qism'], ['التجمع الاول', 'First Settlement', 'city'], ['التجمع الخامس', 'Fifth Settlement', 'city'],
    ['القاهرة الجديدة', 'New Cairo', 'city'], ['مدينتي', 'Madinaty', 'city'], ['الشروق', 'El Shorouk', 'city'],
    ['النزهة', 'El Nozha', 'qism'], ['روض الفرج', 'Rod El Farag', 'qism'], ['الوايلي', 'El Waily', 'qism'],
    ['بولاق', 'Boulaq', 'qism'], ['حدائق القبة', 'Hadayek El Kobba', 'qism'], ['المقطم', 'El Mokattam', 'qism'],
    ['الساحل', 'El Sahel', 'qism'], ['الموسكي', 'El Mosky', 'qism'], ['15 مايو', '15th of May', 'city'],
  ],
  '02': [
    ['المنتزه', 'El Montaza', 'qism'], ['سيدي جابر', 'Sidi Gaber', 'qism'], ['محرم بك', 'Moharam Bek', 'qism'],
    ['العطارين', 'El Attarin', 'qism'], ['الرمل', 'El Raml', 'qism'], ['العامرية', 'El Amreya', 'qism'],
    ['برج العرب', 'Borg El Arab', 'markaz'], ['الجمرك', 'El Gomrok', 'qism'], ['كرموز', 'Karmouz', 'qism'],
    ['المنشية', 'El Manshia', 'qism'], ['الدخيلة', 'El Dekheila', 'qism'], ['سموحة', 'Smouha', 'qism'],
  ],
  '03': [['الشرق', 'El Sharq', 'qism'], ['العرب', 'El Arab', 'qism'], ['الضواحي', 'El Dawahy', 'qism'], ['بورفؤاد', 'Port Fouad', 'qism'], ['المناخ', 'El Manakh', 'qism']],
  '04': [['الاربعين', 'El Arbaeen', 'qism'], ['عتاقة', 'Ataka', 'qism'], ['فيصل', 'Faisal', 'qism'], ['الجناين', 'El Ganayen', 'qism']],
  '11': [['دمياط الجديدة', 'New Damietta', 'city'], ['فارسكور', 'Faraskour', 'markaz'], ['كفر سعد', 'Kafr Saad', 'markaz'], ['الزرقا', 'El Zarqa', 'markaz'], ['رأس البر', 'Ras El Bar', 'city']],
  '12': [
    ['المنصورة', 'El Mansoura', 'markaz'], ['طلخا', 'Talkha', 'markaz'], ['ميت غمر', 'Mit Ghamr', 'markaz'],
    ['السنبلاوين', 'El Senbellawein', 'markaz'], ['دكرنس', 'Dikirnis', 'markaz'], ['أجا', 'Aga', 'markaz'],
    ['شربين', 'Sherbin', 'markaz'], ['بلقاس', 'Belqas', 'markaz'], ['المنزلة', 'El Manzala', 'markaz'],
  ],
  '13': [
    ['الزقازيق', 'Zagazig', 'markaz'], ['بلبيس', 'Belbeis', 'markaz'], ['منيا القمح', 'Minya El Qamh', 'markaz'],
    ['أبو حماد', 'Abu Hammad', 'markaz'], ['فاقوس', 'Faqous', 'markaz'], ['ههيا', 'Hihya', 'markaz'],
    ['العاشر من رمضان', '10th of Ramadan', 'city'], ['أبو كبير', 'Abu Kebir', 'markaz'], ['ديرب نجم', 'Diyarb Negm', 'markaz'],
  ],
  '14': [
    ['بنها', 'Banha', 'markaz'], ['شبرا الخيمة', 'Shubra El Kheima', 'qism'], ['قليوب', 'Qalyub', 'markaz'],
    ['القناطر الخيرية', 'El Qanater El Khayreya', 'markaz'], ['الخانكة', 'El Khanka', 'markaz'], ['طوخ', 'Toukh', 'markaz'],
    ['كفر شكر', 'Kafr Shukr', 'markaz'], ['شبين القناطر', 'Shebin El Qanater', 'markaz'], ['العبور', 'El Obour', 'city'],
  ],
  '15': [['كفر الشيخ', 'Kafr El Sheikh', 'markaz'], ['دسوق', 'Desouk', 'markaz'], ['فوه', 'Fuwa', 'markaz'], ['بيلا', 'Bila', 'markaz'], ['سيدي سالم', 'Sidi Salem', 'markaz'], ['الحامول', 'El Hamoul', 'markaz']],
  '16': [
    ['طنطا', 'Tanta', 'markaz'], ['المحلة الكبرى', 'El Mahalla El Kubra', 'markaz'], ['كفر الزيات', 'Kafr El Zayat', 'markaz'],
    ['زفتى', 'Zefta', 'markaz'], ['السنطة', 'El Santa', 'markaz'], ['سمنود', 'Samanoud', 'markaz'], ['بسيون', 'Basyoun', 'markaz'],
  ],
  '17': [
    ['شبين الكوم', 'Shebin El Kom', 'markaz'], ['منوف', 'Menouf', 'markaz'], ['أشمون', 'Ashmoun', 'markaz'],
    ['قويسنا', 'Quesna', 'markaz'], ['تلا', 'Tala', 'markaz'], ['الباجور', 'El Bagour', 'markaz'], ['السادات', 'El Sadat', 'city'],
  ],
  '18': [
    ['دمنهور', 'Damanhour', 'markaz'], ['كفر الدوار', 'Kafr El Dawar', 'markaz'], ['رشيد', 'Rashid', 'markaz'],
    ['إيتاي البارود', 'Itay El Baroud', 'markaz'], ['أبو حمص', 'Abu Hummus', 'markaz'], ['كوم حمادة', 'Kom Hamada', 'markaz'],
    ['إدكو', 'Edku', 'markaz'], ['النوبارية', 'El Nubariya', 'city'],
  ],
  '19': [['الاسماعيلية', 'Ismailia', 'qism'], ['فايد', 'Fayed', 'markaz'], ['القنطرة شرق', 'El Qantara Sharq', 'markaz'], ['التل الكبير', 'El Tal El Kebir', 'markaz'], ['أبو صوير', 'Abu Suweir', 'markaz']],
  '21': [
    ['الدقي', 'Dokki', 'qism'], ['العجوزة', 'El Agouza', 'qism'], ['الهرم', 'El Haram', 'qism'], ['امبابة', 'Imbaba', 'markaz'],
    ['بولاق الدكرور', 'Boulaq El Dakrour', 'qism'], ['الشيخ زايد', 'Sheikh Zayed', 'city'], ['6 أكتوبر', '6th of October', 'city'],
    ['البدرشين', 'El Badrashein', 'markaz'], ['العياط', 'El Ayyat', 'markaz'], ['أوسيم', 'Awsim', 'markaz'],
    ['كرداسة', 'Kerdasa', 'markaz'], ['أبو النمرس', 'Abu El Nomros', 'markaz'], ['الحوامدية', 'El Hawamdeya', 'markaz'],
    ['الصف', 'El Saff', 'markaz'], ['الوراق', 'El Warraq', 'qism'], ['فيصل', 'Faisal', 'qism'], ['العمرانية', 'El Omraniya', 'qism'],
  ],
  '22': [['بني سويف', 'Beni Suef', 'markaz'], ['الواسطى', 'El Wasta', 'markaz'], ['ناصر', 'Nasser', 'markaz'], ['إهناسيا', 'Ehnasia', 'markaz'], ['ببا', 'Beba', 'markaz'], ['الفشن', 'El Fashn', 'markaz']],
  '23': [['الفيوم', 'El Fayoum', 'markaz'], ['سنورس', 'Sinnuris', 'markaz'], ['إطسا', 'Etsa', 'markaz'], ['طامية', 'Tamiya', 'markaz'], ['أبشواي', 'Ibshaway', 'markaz'], ['يوسف الصديق', 'Youssef El Seddik', 'markaz']],
  '24': [['المنيا', 'El Minya', 'markaz'], ['ملوي', 'Mallawi', 'markaz'], ['سمالوط', 'Samalut', 'markaz'], ['مغاغة', 'Maghagha', 'markaz'], ['بني مزار', 'Beni Mazar', 'markaz'], ['أبو قرقاص', 'Abu Qurqas', 'markaz'], ['مطاي', 'Matay', 'markaz'], ['ديرمواس', 'Deir Mawas', 'markaz']],
  '25': [['أسيوط', 'Assiut', 'markaz'], ['ديروط', 'Dairut', 'markaz'], ['منفلوط', 'Manfalut', 'markaz'], ['القوصية', 'El Qusiya', 'markaz'], ['أبنوب', 'Abnub', 'markaz'], ['أبو تيج', 'Abu Tig', 'markaz'], ['الغنايم', 'El Ghanayem', 'markaz']],
  '26': [['سوهاج', 'Sohag', 'markaz'], ['أخميم', 'Akhmim', 'markaz'], ['جرجا', 'Girga', 'markaz'], ['طهطا', 'Tahta', 'markaz'], ['البلينا', 'El Balyana', 'markaz'], ['المراغة', 'El Maragha', 'markaz'], ['طما', 'Tama', 'markaz']],
  '27': [['قنا', 'Qena', 'markaz'], ['نجع حمادي', 'Nag Hammadi', 'markaz'], ['قوص', 'Qus', 'markaz'], ['دشنا', 'Deshna', 'markaz'], ['أبو تشت', 'Abu Tesht', 'markaz'], ['فرشوط', 'Farshut', 'markaz'], ['نقادة', 'Naqada', 'markaz']],
  '28': [['أسوان', 'Aswan', 'markaz'], ['كوم امبو', 'Kom Ombo', 'markaz'], ['إدفو', 'Edfu', 'markaz'], ['دراو', 'Daraw', 'markaz'], ['نصر النوبة', 'Nasr El Nuba', 'markaz']],
  '29': [['الأقصر', 'Luxor', 'markaz'], ['إسنا', 'Esna', 'markaz'], ['أرمنت', 'Armant', 'markaz'], ['البياضية', 'El Bayadeya', 'markaz'], ['الطود', 'El Tod', 'markaz']],
  '31': [['الغردقة', 'Hurghada', 'qism'], ['سفاجا', 'Safaga', 'markaz'], ['القصير', 'El Quseir', 'markaz'], ['مرسى علم', 'Marsa Alam', 'markaz'], ['رأس غارب', 'Ras Gharib', 'markaz']],
  '32': [['الخارجة', 'El Kharga', 'markaz'], ['الداخلة', 'El Dakhla', 'markaz'], ['الفرافرة', 'El Farafra', 'markaz'], ['باريس', 'Paris', 'markaz']],
  '33': [['مرسى مطروح', 'Marsa Matrouh', 'qism'], ['الحمام', 'El Hammam', 'markaz'], ['العلمين', 'El Alamein', 'markaz'], ['الضبعة', 'El Dabaa', 'markaz'], ['سيوة', 'Siwa', 'markaz']],
  '34': [['العريش', 'El Arish', 'qism'], ['بئر العبد', 'Bir El Abd', 'markaz'], ['الشيخ زويد', 'Sheikh Zuweid', 'markaz'], ['رفح', 'Rafah', 'markaz']],
  '35': [['الطور', 'El Tor', 'markaz'], ['شرم الشيخ', 'Sharm El Sheikh', 'qism'], ['دهب', 'Dahab', 'markaz'], ['نويبع', 'Nuweiba', 'markaz'], ['سانت كاترين', 'Saint Catherine', 'markaz']],
};

export const DISTRICTS: Readonly<Record<string, readonly District[]>> = Object.freeze(
  Object.fromEntries(Object.entries(RAW).map(([code, list]) => [code, list.map(([ar, en, kind]) => ({ ar, en, kind: kind ?? 'markaz' }))])),
);

/** Street / area names for address line 1 ("١٢ شارع التحرير", "ش جمال عبد الناصر", …). */
export const STREET_NAMES: readonly (readonly [string, string])[] = [
  ['التحرير', 'El Tahrir'], ['الجمهورية', 'El Gomhoreya'], ['جمال عبد الناصر', 'Gamal Abdel Nasser'], ['السادات', 'El Sadat'],
  ['النصر', 'El Nasr'], ['الحرية', 'El Horreya'], ['الجيش', 'El Geish'], ['بورسعيد', 'Port Said'], ['الثورة', 'El Thawra'],
  ['سعد زغلول', 'Saad Zaghloul'], ['طلعت حرب', 'Talaat Harb'], ['محمد علي', 'Mohamed Aly'], ['الهرم', 'El Haram'],
  ['فيصل', 'Faisal'], ['عباس العقاد', 'Abbas El Akkad'], ['مكرم عبيد', 'Makram Ebeid'], ['الشهيد احمد حمدي', 'El Shahid Ahmed Hamdy'],
  ['المحطة', 'El Mahatta'], ['المدارس', 'El Madares'], ['المستشفى', 'El Mostashfa'], ['الجامع', 'El Gamea'], ['الكنيسة', 'El Kenisa'],
  ['البحر', 'El Bahr'], ['الترعة', 'El Teraa'], ['السوق', 'El Souk'], ['مصطفى كامل', 'Mostafa Kamel'], ['احمد عرابي', 'Ahmed Orabi'],
  ['عمر بن الخطاب', 'Omar Ibn El Khattab'], ['صلاح سالم', 'Salah Salem'], ['الملك فيصل', 'El Malek Faisal'], ['النيل', 'El Nil'],
  ['المعز', 'El Moez'], ['الازهر', 'El Azhar'], ['رمسيس', 'Ramses'], ['الخليفة المأمون', 'El Khalifa El Maamoun'], ['الزهراء', 'El Zahraa'],
];

/** Village / hamlet names for rural line-1 addresses ("قرية …", "عزبة …", "كفر …"). */
export const VILLAGE_NAMES: readonly (readonly [string, string])[] = [
  ['ابو رجوان البحري', 'Abou Regwan El Bahary'], ['ميت رهينة', 'Mit Rahina'], ['الشوبك', 'El Shobak'], ['كفر حكيم', 'Kafr Hakim'],
  ['نزلة السمان', 'Nazlet El Semman'], ['ميت عقبة', 'Mit Okba'], ['كوم الضبع', 'Kom El Dabaa'], ['الرقة', 'El Reqqa'],
  ['البرشا', 'El Bersha'], ['منشاة القناطر', 'Monshaat El Qanater'], ['الحرانية', 'El Haraneya'], ['شطورة', 'Shatoura'],
  ['بني عدي', 'Beni Adi'], ['تلبانة', 'Telbana'], ['الجعافرة', 'El Gaafra'], ['العزيزية', 'El Aziziya'], ['الطويرات', 'El Twirat'],
  ['الكرنك', 'El Karnak'], ['دندرة', 'Dendera'], ['السلام', 'El Salam'], ['النجيلة', 'El Negila'], ['الخطاطبة', 'El Khatatba'],
];

/** Generic address words: Arabic (standard and common abbreviations) → English used in `address_english`. */
export const ADDRESS_WORDS: Readonly<Record<string, string>> = Object.freeze({
  'شارع': 'St.', 'ش': 'St.', 'ش.': 'St.', 'شياخة': 'Shiakha', 'حارة': 'Hara', 'عطفة': 'Atfet', 'زقاق': 'Zoqaq',
  'ميدان': 'Square', 'طريق': 'Road', 'كورنيش': 'Corniche', 'عمارة': 'Building', 'عماره': 'Building', 'برج': 'Tower',
  'فيلا': 'Villa', 'شقة': 'Apt.', 'الدور': 'Floor', 'قرية': 'Village', 'عزبة': 'Ezbet', 'كفر': 'Kafr', 'نجع': 'Nagaa',
  'منشية': 'Manshiet', 'منشأة': 'Monshaat', 'مركز': 'Markaz', 'قسم': 'Qism', 'حي': 'District', 'الحي': 'District',
  'مدينة': 'City', 'المنطقة': 'Zone', 'منطقة': 'Zone', 'مجموعة': 'Group', 'المجاورة': 'Neighborhood', 'مجاورة': 'Neighborhood',
  'بلوك': 'Block', 'مساكن': 'Masaken', 'تقسيم': 'Taqseem', 'امتداد': 'Extension', 'خلف': 'Behind', 'بجوار': 'Next to',
  'أمام': 'In front of', 'ع': 'Bldg.', 'رقم': 'No.', 'الاول': 'First', 'الأول': 'First', 'الثاني': 'Second', 'الثانية': 'Second',
  'الثالث': 'Third', 'الثالثة': 'Third', 'الرابع': 'Fourth', 'الرابعة': 'Fourth', 'الخامس': 'Fifth', 'الخامسة': 'Fifth',
  'القبلي': 'El Qebly', 'البحري': 'El Bahary', 'الشرقي': 'El Sharqy', 'الغربي': 'El Gharby', 'الجديدة': 'El Gedida', 'الجديد': 'El Gedid',
});
