/**
 * Vlens error catalogue (spec §10). Business codes (3xxx–7xxx) travel in the envelope; transport/auth
 * failures carry their real HTTP status and use the HTTP code as `error_code` (spec §2.2).
 * Registration/login codes are not documented by Vlens: Hawiya uses its own 6xxx range for them.
 */
export type Lang = 'en' | 'ar';

interface CodeInfo { en: string; ar: string; http?: number }

export const ERROR_CODES: Record<number, CodeInfo> = {
  400: { en: 'Bad Request - Input parameters are invalid.', ar: 'طلب غير صالح - بيانات الإدخال غير صحيحة.', http: 400 },
  401: { en: 'Unauthorized - invalid credentials.', ar: 'غير مصرح - بيانات الاعتماد غير صحيحة.', http: 401 },
  403: { en: 'Forbidden - include a valid access token with the required permission.', ar: 'ممنوع - أرسل رمز دخول صالحاً بالصلاحية المطلوبة.', http: 403 },
  404: { en: 'Not found.', ar: 'غير موجود.', http: 404 },
  405: { en: 'Method not allowed.', ar: 'الطريقة غير مسموح بها.', http: 405 },
  413: { en: 'Request body is too large.', ar: 'حجم الطلب كبير جداً.', http: 413 },
  415: { en: 'Unsupported media type - re-check the image format (JPEG or PNG).', ar: 'نوع الوسائط غير مدعوم - تأكد من صيغة الصورة (JPEG أو PNG).', http: 415 },
  429: { en: 'Too many requests - slow down and retry later.', ar: 'طلبات كثيرة جداً - حاول لاحقاً.', http: 429 },
  500: { en: 'Unexpected server error; retry later.', ar: 'خطأ غير متوقع في الخادم؛ حاول لاحقاً.', http: 500 },
  503: { en: 'Service not ready; retry later.', ar: 'الخدمة غير جاهزة؛ حاول لاحقاً.', http: 503 },

  3001: { en: 'Invalid ID number.', ar: 'الرقم القومي غير صحيح.' },
  3002: { en: 'Invalid birth date.', ar: 'تاريخ الميلاد غير صحيح.' },
  3003: { en: 'Invalid governorate.', ar: 'المحافظة غير صحيحة.' },
  3004: { en: 'Invalid ID key.', ar: 'رقم البطاقة التسلسلي غير صحيح.' },
  3005: { en: 'Invalid gender.', ar: 'النوع غير صحيح.' },
  3006: { en: 'Invalid release date.', ar: 'تاريخ الإصدار غير صحيح.' },
  3007: { en: 'Wrong date format: birth date.', ar: 'صيغة تاريخ الميلاد غير صحيحة.' },
  3008: { en: 'Wrong date format: release date.', ar: 'صيغة تاريخ الإصدار غير صحيحة.' },
  3009: { en: 'Wrong date format: expiry date.', ar: 'صيغة تاريخ الانتهاء غير صحيحة.' },
  3010: { en: 'The document is expired.', ar: 'البطاقة منتهية الصلاحية.' },
  3011: { en: 'Card not detected; capture the whole card.', ar: 'لم يتم العثور على البطاقة؛ صوّر البطاقة كاملة.' },
  3014: { en: 'No face detected in the ID image.', ar: 'لم يتم العثور على وجه في صورة البطاقة.' },
  3101: { en: 'The ID number differs between the front and the back of the card.', ar: 'الرقم القومي مختلف بين وجه البطاقة وظهرها.' },
  4003: { en: 'Number of trials exceeded the limit; try later.', ar: 'تم تجاوز عدد المحاولات المسموح؛ حاول لاحقاً.' },
  4206: { en: 'More than one face in the image.', ar: 'يوجد أكثر من وجه في الصورة.' },
  4207: { en: 'No face detected.', ar: 'لم يتم العثور على وجه.' },
  4208: { en: 'Make sure there is a face in the image.', ar: 'تأكد من وجود وجه في الصورة.' },
  4209: { en: 'Recapture the face; the capture is not clear.', ar: 'أعد تصوير الوجه؛ الصورة غير واضحة.' },
  4210: { en: 'Recapture the face; the capture is not clear.', ar: 'أعد تصوير الوجه؛ الصورة غير واضحة.' },
  5000: { en: 'Something went wrong; contact support.', ar: 'حدث خطأ ما؛ تواصل مع الدعم.' },
  5001: { en: 'Unsupported document.', ar: 'مستند غير مدعوم.' },
  5002: { en: 'Image size exceeds 5 MB.', ar: 'حجم الصورة يتجاوز 5 ميجابايت.' },
  5003: { en: 'Image exceeds 25 megapixels.', ar: 'الصورة تتجاوز 25 ميجابكسل.' },
  5004: { en: 'Check the Transaction ID/token sent in the request.', ar: 'تحقق من رقم العملية أو الرمز المرسل في الطلب.' },
  5005: { en: "Make sure you're capturing a real document.", ar: 'تأكد من تصوير مستند حقيقي.' },
  5006: { en: 'Recapture; the image is not focused.', ar: 'أعد التصوير؛ الصورة غير واضحة.' },
  5007: { en: 'Supported document, but the wrong endpoint was called.', ar: 'مستند مدعوم ولكن تم استدعاء الخدمة الخطأ.' },
  5008: { en: 'Could not assign the extracted data to fields.', ar: 'تعذر توزيع البيانات المستخرجة على الحقول.' },
  7001: { en: 'General error processing the ID front.', ar: 'خطأ عام أثناء معالجة وجه البطاقة.' },
  7002: { en: 'General error processing the ID back.', ar: 'خطأ عام أثناء معالجة ظهر البطاقة.' },
  7008: { en: 'General error matching the face image.', ar: 'خطأ عام أثناء مطابقة صورة الوجه.' },

  // Hawiya's own range for the registration/login/OTP errors Vlens does not document (spec §10.3 gap).
  6001: { en: 'Phone number or email is already registered.', ar: 'رقم الهاتف أو البريد الإلكتروني مسجل بالفعل.' },
  6002: { en: 'Invalid or expired OTP.', ar: 'رمز التحقق غير صحيح أو منتهي الصلاحية.' },
  6003: { en: 'Too many attempts; the OTP request is locked.', ar: 'محاولات كثيرة؛ تم قفل طلب رمز التحقق.' },
  6004: { en: 'Phone number has not been verified.', ar: 'لم يتم التحقق من رقم الهاتف.' },
  6005: { en: 'Email has not been verified.', ar: 'لم يتم التحقق من البريد الإلكتروني.' },
  6006: { en: 'Invalid phone number or password.', ar: 'رقم الهاتف أو كلمة المرور غير صحيحة.' },
  6007: { en: 'Account temporarily locked after too many failed attempts.', ar: 'تم قفل الحساب مؤقتاً بعد محاولات فاشلة كثيرة.' },
  6008: { en: 'Invalid or expired refresh token.', ar: 'رمز التحديث غير صالح أو منتهي.' },
  6009: { en: 'The identity must be verified first.', ar: 'يجب توثيق الهوية أولاً.' },
  6010: { en: 'Both sides of the ID card must be scanned successfully before liveness.', ar: 'يجب تصوير وجهي البطاقة بنجاح قبل التحقق من الحيوية.' },
  6011: { en: 'The face does not match the photo on the ID card.', ar: 'الوجه لا يطابق صورة البطاقة.' },
  6012: { en: 'The face match is uncertain and needs a manual review.', ar: 'مطابقة الوجه غير مؤكدة وتحتاج إلى مراجعة.' },
  6013: { en: 'The selfie frames do not show a live person; capture again.', ar: 'الصور لا تظهر شخصاً حياً؛ أعد التصوير.' },
};

/** An error that becomes a Vlens envelope. `status` overrides the HTTP status policy when set. */
export class VlensError extends Error {
  constructor(
    public readonly code: number,
    public readonly detail?: string,
    public readonly status?: number,
    public readonly descriptions?: unknown,
  ) {
    super(detail ?? ERROR_CODES[code]?.en ?? `error ${code}`);
    this.name = 'VlensError';
  }
}

export function errorMessage(code: number, lang: Lang): string {
  const info = ERROR_CODES[code];
  if (!info) return lang === 'ar' ? 'حدث خطأ' : `Error ${code}`;
  return info[lang];
}

/** HTTP status for a code: transport/auth codes carry their own; business codes use the tenant policy (200 or 422). */
export function httpStatusFor(code: number, businessStatus: number): number {
  return ERROR_CODES[code]?.http ?? (code < 600 ? code : businessStatus);
}
