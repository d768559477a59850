import { Migration } from "@mikro-orm/migrations";

export class Migration20261122041306_identities_and_checkpoint extends Migration {
  override name = "Migration20261122041306_identities_and_checkpoint";

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`chain_checkpoint\` (\`name\` varchar(100) not null, \`block_number\` bigint not null, \`tx_id\` varchar(64) null, \`updated_at\` datetime not null, primary key (\`name\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table \`fabric_identities\` (\`user_id\` varchar(128) not null, \`msp_id\` varchar(64) not null, \`cert_pem\` text not null, \`enrolled_at\` datetime(3) not null, primary key (\`user_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`chain_checkpoint\`;`);
    this.addSql(`drop table if exists \`fabric_identities\`;`);
  }
}
