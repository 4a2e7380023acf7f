import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeArabic, toAsciiDigits, toEasternDigits, cer, compareKey, cleanArabic, levenshtein } from '../../src/document/arabic.js';

test('toAsciiDigits / toEasternDigits', () => {
  assert.equal(toAsciiDigits('٠١٢٣٤٥٦٧٨٩'), '0123456789');
  assert.equal(toAsciiDigits('۰۱۲۳۴۵۶۷۸۹'), '0123456789');
  assert.equal(toAsciiDigits('ع ٦٩ الحى'), 'ع 69 الحى');
  assert.equal(toEasternDigits('2020/08'), '٢٠٢٠/٠٨');
  assert.equal(toEasternDigits('۴۵'), '٤٥');
  assert.equal(toAsciiDigits(toEasternDigits('29001010123456')), '29001010123456');
});

test('normalizeArabic removes tatweel, harakat, bidi controls and unifies letters', () => {
  assert.equal(normalizeArabic('مُحَمَّـــد'), 'محمد');
  assert.equal(normalizeArabic('\u200Fأحمد\u200E  إبراهيم آمال ٱلله'), 'احمد ابراهيم امال الله');
  assert.equal(normalizeArabic('على'), normalizeArabic('علي'));
  assert.equal(normalizeArabic('القاهرة'), normalizeArabic('القاهره'));
  assert.equal(normalizeArabic('مؤمن'), 'مومن');
  assert.equal(normalizeArabic('وائل'), 'وايل');
  assert.equal(normalizeArabic('  a \t b\n'), 'a b');
  assert.equal(normalizeArabic('١٢ شارع'), '12 شارع');
  assert.equal(normalizeArabic('ﻣﺤﻤﺪ'), 'محمد'); // presentation forms
  assert.equal(normalizeArabic('e\u0301'), '\u00e9'); // NFC
});

test('cleanArabic keeps letters as printed but strips marks', () => {
  assert.equal(cleanArabic('\u200Fعلى  السيد\u200E'), 'على السيد');
  assert.equal(cleanArabic('مركز البدرشين -الجيزه'), 'مركز البدرشين - الجيزه');
});

test('compareKey folds عبد compounds and punctuation', () => {
  assert.equal(compareKey('عبدالرحمن'), compareKey('عبد الرحمن'));
  assert.equal(compareKey('التجمع الاول. - القاهره'), compareKey('التجمع الأول - القاهرة'));
});

test('levenshtein and cer', () => {
  assert.equal(levenshtein('kitten', 'sitting'), 3);
  assert.equal(levenshtein('', 'abc'), 3);
  assert.equal(cer('محمد', 'محمد'), 0);
  assert.equal(cer('\u200Fمُحمد', 'محمد'), 0);
  assert.equal(cer('محمود', 'محمد'), 0.25);
  assert.equal(cer('', ''), 0);
  assert.equal(cer('x', ''), 1);
  assert.equal(cer('أحمد على', 'احمد علي'), 0);
});
