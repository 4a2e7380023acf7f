/**
 * Versioned schema migrations, shared by SQLite and PostgreSQL. Add a new entry; never edit a shipped one.
 */
import { Kysely, Migrator, sql, type Migration, type MigrationProvider, type CreateTableBuilder } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

function idColumn<T extends string>(t: CreateTableBuilder<T, never>, dialect: Dialect) {
  return dialect === 'postgres'
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_foundation': {
      async up(db: Kysely<any>) {
        await idColumn(db.schema.createTable('tenants'), dialect)
          .addColumn('name', 'varchar(256)', (c) => c.notNull().unique())
          .addColumn('display_name', 'varchar(256)', (c) => c.notNull())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('wrapped_dek', 'text')
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .execute();

        await db.schema.createTable('api_keys')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id'))
          .addColumn('name', 'varchar(256)', (c) => c.notNull())
          .addColumn('prefix', 'varchar(32)', (c) => c.notNull())
          .addColumn('key_hash', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('revoked_at', 'varchar(32)')
          .addColumn('last_used_at', 'varchar(32)')
          .execute();

        await idColumn(db.schema.createTable('admin_users'), dialect)
          .addColumn('tenant_id', 'integer', (c) => c.references('tenants.id'))
          .addColumn('user_name', 'varchar(256)', (c) => c.notNull())
          .addColumn('email', 'varchar(256)')
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('permissions', 'text', (c) => c.notNull())
          .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_until', 'varchar(32)')
          .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('admin_users_tenant_name').on('admin_users').columns(['tenant_id', 'user_name']).unique().execute();

        await idColumn(db.schema.createTable('users'), dialect)
          .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id'))
          .addColumn('phone_lookup', 'varchar(128)', (c) => c.notNull())
          .addColumn('phone_enc', 'text', (c) => c.notNull())
          .addColumn('email_lookup', 'varchar(128)')
          .addColumn('email_enc', 'text')
          .addColumn('password_hash', 'text')
          .addColumn('is_phone_confirmed', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('is_email_confirmed', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('profile_enc', 'text')
          .addColumn('is_identity_verified', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('verified_transaction_id', 'varchar(64)')
          .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_until', 'varchar(32)')
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('users_tenant_phone').on('users').columns(['tenant_id', 'phone_lookup']).unique().execute();
        await db.schema.createIndex('users_tenant_email').on('users').columns(['tenant_id', 'email_lookup']).execute();

        await idColumn(db.schema.createTable('user_devices'), dialect)
          .addColumn('tenant_id', 'integer', (c) => c.notNull())
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
          .addColumn('device_lookup', 'varchar(128)', (c) => c.notNull())
          .addColumn('info_enc', 'text')
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('last_seen_at', 'varchar(32)', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('user_devices_user').on('user_devices').columns(['user_id', 'device_lookup']).unique().execute();

        await db.schema.createTable('otp_requests')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('tenant_id', 'integer', (c) => c.notNull())
          .addColumn('purpose', 'varchar(32)', (c) => c.notNull())
          .addColumn('target_lookup', 'varchar(128)', (c) => c.notNull())
          .addColumn('code_hash', 'varchar(128)', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('max_attempts', 'integer', (c) => c.notNull())
          .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('validated_at', 'varchar(32)')
          .addColumn('consumed_at', 'varchar(32)')
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .execute();

        await db.schema.createTable('refresh_tokens')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('tenant_id', 'integer')
          .addColumn('subject_type', 'varchar(16)', (c) => c.notNull())
          .addColumn('subject_id', 'integer', (c) => c.notNull())
          .addColumn('family_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('token_hash', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('used_at', 'varchar(32)')
          .addColumn('revoked_at', 'varchar(32)')
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();

        await db.schema.createTable('transactions')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id'))
          .addColumn('user_id', 'integer')
          .addColumn('api_key_id', 'varchar(64)')
          .addColumn('client_transaction_id', 'varchar(256)')
          .addColumn('trials', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('step_trials', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('is_completed', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('is_verified', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('is_matched', 'integer')
          .addColumn('authority_status', 'varchar(16)')
          .addColumn('summary_enc', 'text')
          .addColumn('face_enc', 'text')
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('transactions_tenant_user').on('transactions').columns(['tenant_id', 'user_id']).execute();

        await idColumn(db.schema.createTable('transaction_steps'), dialect)
          .addColumn('transaction_id', 'varchar(64)', (c) => c.notNull().references('transactions.id'))
          .addColumn('tenant_id', 'integer', (c) => c.notNull())
          .addColumn('step', 'varchar(16)', (c) => c.notNull())
          .addColumn('passed', 'integer', (c) => c.notNull())
          .addColumn('result_enc', 'text', (c) => c.notNull())
          .addColumn('images', 'text', (c) => c.notNull())
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('transaction_steps_tx_step').on('transaction_steps').columns(['transaction_id', 'step']).unique().execute();

        await idColumn(db.schema.createTable('audit_log'), dialect)
          .addColumn('tenant_id', 'integer')
          .addColumn('actor_type', 'varchar(16)', (c) => c.notNull())
          .addColumn('actor_id', 'varchar(64)')
          .addColumn('action', 'varchar(64)', (c) => c.notNull())
          .addColumn('target', 'varchar(256)')
          .addColumn('log_id', 'varchar(256)')
          .addColumn('request_id', 'varchar(128)')
          .addColumn('ip', 'varchar(64)')
          .addColumn('details', 'text')
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('audit_log_tenant_time').on('audit_log').columns(['tenant_id', 'created_at']).execute();
      },
    },
  };
}

export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(dialect) } satisfies MigrationProvider,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export { sql };
