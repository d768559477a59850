import { Migration } from "@mikro-orm/migrations";

export class Migration20261122040636 extends Migration {
  override name = "Migration20261122040636";

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`identity\` (\`user_id\` varchar(128) not null, \`msp_id\` varchar(64) not null, \`role\` varchar(16) not null, \`cert_pem\` text not null, \`key_id\` varchar(64) not null, \`wrapped_dek\` blob not null, \`iv\` blob not null, \`tag\` blob not null, \`ciphertext\` blob not null, \`created_at\` datetime not null, primary key (\`user_id\`)) default character set utf8mb4 engine = InnoDB;`,
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
      `create table \`signed_tx\` (\`command_id\` varchar(128) not null, \`user_id\` varchar(128) not null, \`tx_id\` varchar(64) not null, \`original_tx_id\` varchar(64) not null, \`transaction\` varchar(100) not null, \`envelope\` mediumblob null, \`status\` enum('SIGNED','COMMITTED','REJECTED','FAILED') not null, \`block\` bigint null, \`validation_code\` int null, \`reason\` varchar(255) null, \`attempts\` int not null, \`updated_at\` datetime not null, primary key (\`command_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`identity\`;`);
    this.addSql(`drop table if exists \`outbox\`;`);
    this.addSql(`drop table if exists \`processed_command\`;`);
    this.addSql(`drop table if exists \`signed_tx\`;`);
  }
}
