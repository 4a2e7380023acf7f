import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transliterateName, transliterateAddress, governorateEnglish, NAME_DICTIONARY_SIZE, lookupName } from '../../src/document/transliterate.js';

const NAMES: Array<[string, string]> = [
  ['محمد', 'Mohamed'],
  ['أحمد', 'Ahmed'],
  ['احمد', 'Ahmed'],
  ['عبد الرحمن', 'Abdelrahman'],
  ['عبدالرحمن', 'Abdelrahman'],
  ['عبد الله', 'Abdallah'],
  ['عبدالله', 'Abdallah'],
  ['مصطفى', 'Mostafa'],
  ['مصطفي', 'Mostafa'],
  ['محمود', 'Mahmoud'],
  ['السيد', 'Elsayed'],
  ['على', 'Aly'],
  ['إبراهيم', 'Ibrahim'],
  ['ابراهيم', 'Ibrahim'],
  ['يوسف', 'Youssef'],
  ['فاطمة', 'Fatma'],
  ['فاطمه', 'Fatma'],
  ['عبد العزيز', 'Abdelaziz'],
  ['عبدالمنعم', 'Abdelmoneim'],
  ['عبد الجليل', 'Abdelgalil'],
  ['نور الدين', 'Nour Eldin'],
  ['جاد الله', 'Gadallah'],
  ['أبو زيد', 'Abou Zeid'],
  ['الشافعي', 'Elshafei'],
  ['المصرى', 'Elmasry'],
  ['على السيد على حسان', 'Aly Elsayed Aly Hassan'],
  ['احمد عفيفى السيد', 'Ahmed Afifi Elsayed'],
  ['محمد عبد الرحمن السيد', 'Mohamed Abdelrahman Elsayed'],
  ['شيماء', 'Shaimaa'],
  ['هبه', 'Heba'],
  // rule-based fallback (not in the dictionary)
  ['منصورى', 'Mansoury'],
  ['طنطاوى', 'Tantawy'],
  ['حمزاوي', 'Hamzawy'],
  ['مرجان', 'Margan'],
  ['الخطيب', 'Elkhatib'],
];

test('dictionary has at least 300 names and particles', () => {
  assert.ok(NAME_DICTIONARY_SIZE >= 300, String(NAME_DICTIONARY_SIZE));
  assert.equal(lookupName('محمد'), 'Mohamed');
});

for (const [ar, en] of NAMES) {
  test(`transliterateName ${en}`, () => assert.equal(transliterateName(ar), en));
}

const ADDRESSES: Array<[string, string]> = [
  ['مركز البدرشين - الجيزه', 'Markaz El Badrashein - Giza'],
  ['الشيخ زايد - الجيزه', 'Sheikh Zayed - Giza'],
  ['١٢ شارع التحرير - الدقي - الجيزة', '12 St. El Tahrir - Dokki - Giza'],
  ['فيلا ٤٨ مجموعة ١ -مدينتى', 'Villa 48 Group 1 - Madinaty'],
  ['ع ٦٩ الحى الاول-المجاورة الثانية', 'Bldg. 69 1st District - 2nd Neighborhood'],
  ['ش جمال عبد الناصر', 'St. Gamal Abdel Nasser'],
  ['قسم مدينة نصر - القاهره', 'Qism Nasr City - Cairo'],
];
for (const [ar, en] of ADDRESSES) {
  test(`transliterateAddress ${en}`, () => assert.equal(transliterateAddress(ar), en));
}

test('governorateEnglish', () => {
  assert.equal(governorateEnglish('الجيزه'), 'Giza');
  assert.equal(governorateEnglish('الإسكندرية'), 'Alexandria');
  assert.equal(governorateEnglish('21'), 'Giza');
  assert.equal(governorateEnglish('xx'), undefined);
});
