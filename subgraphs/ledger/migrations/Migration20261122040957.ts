import { Migration } from "@mikro-orm/migrations";

export class Migration20261122040957 extends Migration {
  override name = "Migration20261122040957";

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`chain_transactions\` (\`tx_id\` varchar(64) not null, \`function\` varchar(64) not null, \`creator_id\` varchar(36) not null, \`status\` varchar(16) not null, \`validation_code\` varchar(40) null, \`block_number\` int null, \`created_at\` datetime(3) not null, \`committed_at\` datetime(3) null, primary key (\`tx_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table \`entry_activity\` (\`id\` bigint unsigned not null auto_increment primary key, \`entry_id\` varchar(36) not null, \`actor_id\` varchar(36) not null, \`action\` varchar(32) not null, \`tx_id\` varchar(64) null, \`at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`entry_activity\` add index \`entry_activity_entry_id_index\` (\`entry_id\`);`);

    this.addSql(
      `create table \`evidence\` (\`id\` varchar(36) not null, \`uploader_id\` varchar(36) not null, \`file_name\` varchar(255) not null, \`content_type\` varchar(100) not null, \`size\` int not null, \`sha256\` varchar(64) not null, \`uploaded_at\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table \`ledger_entries\` (\`id\` varchar(36) not null, \`org_id\` varchar(36) not null, \`kind\` varchar(16) not null, \`event_name\` varchar(200) not null, \`year\` int not null, \`semester\` int not null, \`amount\` bigint not null, \`status\` varchar(16) not null, \`submitted_by\` varchar(36) not null, \`decided_by\` varchar(36) null, \`reason\` varchar(500) null, \`payee_address\` varchar(200) null, \`ballot_id\` varchar(36) null, \`evidence_ids\` json not null, \`idempotency_key\` varchar(100) not null, \`tx_id\` varchar(64) null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`ledger_entries\` add index \`ledger_entries_org_id_created_at_id_index\` (\`org_id\`, \`created_at\`, \`id\`);`,
    );
    this.addSql(
      `alter table \`ledger_entries\` add unique \`ledger_entries_submitted_by_idempotency_key_unique\` (\`submitted_by\`, \`idempotency_key\`);`,
    );

    this.addSql(
      `create table \`memberships\` (\`id\` varchar(36) not null, \`org_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`council\` tinyint(1) not null, \`since\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`memberships\` add index \`memberships_user_id_index\` (\`user_id\`);`);
    this.addSql(
      `alter table \`memberships\` add unique \`memberships_org_id_user_id_unique\` (\`org_id\`, \`user_id\`);`,
    );

    this.addSql(
      `create table \`membership_requests\` (\`id\` varchar(36) not null, \`org_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`status\` varchar(16) not null, \`approved_by\` varchar(36) null, \`tx_id\` varchar(64) null, \`requested_at\` datetime(3) not null, \`approved_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`membership_requests\` add index \`membership_requests_org_id_index\` (\`org_id\`);`);
    this.addSql(`alter table \`membership_requests\` add index \`membership_requests_user_id_index\` (\`user_id\`);`);

    this.addSql(
      `create table \`organizations\` (\`id\` varchar(36) not null, \`name\` varchar(200) not null, \`founder_id\` varchar(36) not null, \`status\` varchar(16) not null, \`tx_id\` varchar(64) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table \`outbox\` (\`id\` bigint unsigned not null auto_increment primary key, \`domain\` varchar(64) not null, \`type\` varchar(128) not null, \`command_id\` varchar(128) not null, \`payload\` text not null, \`created_at\` datetime(3) not null, \`relayed_at\` datetime(3) null, \`stream_id\` varchar(32) null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`outbox\` add unique \`outbox_command_id_unique\` (\`command_id\`);`);
    this.addSql(`alter table \`outbox\` add index \`outbox_unrelayed_idx\` (\`relayed_at\`, \`id\`);`);

    this.addSql(
      `create table \`processed_command\` (\`id\` bigint unsigned not null auto_increment primary key, \`consumer_group\` varchar(128) not null, \`command_id\` varchar(128) not null, \`processed_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`processed_command\` add unique \`processed_command_group_id_unique\` (\`consumer_group\`, \`command_id\`);`,
    );

    this.addSql(
      `create table \`refresh_tokens\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`family_id\` varchar(36) not null, \`device_name\` varchar(120) not null, \`token_hash\` varchar(64) not null, \`created_at\` datetime(3) not null, \`expires_at\` datetime(3) not null, \`used_at\` datetime(3) null, \`revoked_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`refresh_tokens\` add index \`refresh_tokens_user_id_index\` (\`user_id\`);`);
    this.addSql(`alter table \`refresh_tokens\` add index \`refresh_tokens_family_id_index\` (\`family_id\`);`);
    this.addSql(`alter table \`refresh_tokens\` add unique \`refresh_tokens_token_hash_unique\` (\`token_hash\`);`);

    this.addSql(
      `create table \`users\` (\`id\` varchar(36) not null, \`email\` varchar(254) not null, \`display_name\` varchar(120) not null, \`password_hash\` varchar(255) not null, \`platform_roles\` json not null, \`enrolled_at\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`users\` add unique \`users_email_unique\` (\`email\`);`);
  }
}
