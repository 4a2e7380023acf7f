/**
 * Table types for the type-checked query layer (Kysely). One schema for SQLite and PostgreSQL:
 * booleans are stored as 0/1 integers and times as ISO-8601 UTC strings so both engines behave the same.
 * Columns ending in `_enc` hold AES-GCM sealed personal data (see crypto/keys.ts); `_lookup` columns hold
 * keyed hashes used to find a row without storing the value in clear.
 */
import type { Generated } from 'kysely';

export interface TenantsTable {
  id: Generated<number>;
  name: string; // tenancyName
  display_name: string;
  settings: string; // JSON TenantSettings
  is_active: number;
  wrapped_dek: string | null;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: number;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface AdminUsersTable {
  id: Generated<number>;
  tenant_id: number | null; // null = host (super) admin
  user_name: string;
  email: string | null;
  password_hash: string;
  permissions: string; // JSON string[]
  failed_logins: number;
  locked_until: string | null;
  is_active: number;
  created_at: string;
}

export interface UsersTable {
  id: Generated<number>;
  tenant_id: number;
  phone_lookup: string;
  phone_enc: string;
  email_lookup: string | null;
  email_enc: string | null;
  password_hash: string | null;
  is_phone_confirmed: number;
  is_email_confirmed: number;
  profile_enc: string | null; // JSON {name, surname, fullName, idNumber, address}
  is_identity_verified: number;
  verified_transaction_id: string | null;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
}

export interface UserDevicesTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number;
  device_lookup: string;
  info_enc: string | null; // JSON {imei, imsi, geoLocation}
  created_at: string;
  last_seen_at: string;
}

export interface OtpRequestsTable {
  id: string;
  tenant_id: number;
  purpose: string; // register_phone | register_email | login_device
  target_lookup: string;
  code_hash: string;
  attempts: number;
  max_attempts: number;
  expires_at: string;
  validated_at: string | null;
  consumed_at: string | null;
  created_at: string;
}

export interface RefreshTokensTable {
  id: string;
  tenant_id: number | null;
  subject_type: string; // admin | user
  subject_id: number;
  family_id: string;
  token_hash: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface TransactionsTable {
  id: string;
  tenant_id: number;
  user_id: number | null;
  api_key_id: string | null;
  client_transaction_id: string | null;
  trials: number;
  step_trials: string; // JSON {id_front: n, id_back: n, liveness: n}
  status: string; // open | completed | verified | cancelled
  is_completed: number;
  is_verified: number;
  is_matched: number | null;
  authority_status: string | null; // disabled | pending | passed | failed
  summary_enc: string | null; // JSON: fullName, idNumber, … for admin views
  face_enc: string | null; // JSON: ID portrait embedding
  created_at: string;
  updated_at: string;
}

export interface TransactionStepsTable {
  id: Generated<number>;
  transaction_id: string;
  tenant_id: number;
  step: string; // id_front | id_back | liveness
  passed: number;
  result_enc: string; // JSON: data + services of the step
  images: string; // JSON {fileName: blobKey}
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: number | null;
  actor_type: string; // admin | host | cli | system | user
  actor_id: string | null;
  action: string;
  target: string | null;
  log_id: string | null;
  request_id: string | null;
  ip: string | null;
  details: string | null; // JSON, never personal data
  created_at: string;
}

export interface Database {
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  admin_users: AdminUsersTable;
  users: UsersTable;
  user_devices: UserDevicesTable;
  otp_requests: OtpRequestsTable;
  refresh_tokens: RefreshTokensTable;
  transactions: TransactionsTable;
  transaction_steps: TransactionStepsTable;
  audit_log: AuditLogTable;
}
