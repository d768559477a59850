import { Migration } from "@mikro-orm/migrations";

/** Commands held until their actor's identity exists or their dependency commits (decision 0300). */
export class Migration20261206200000_deferred_commands extends Migration {
  override name = "Migration20261206200000_deferred_commands";

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`deferred_commands\` (\`id\` varchar(36) not null, \`actor_id\` varchar(128) not null, \`name\` varchar(64) not null, \`args\` text not null, \`command_id\` varchar(255) not null, \`after_tx_id\` varchar(64) null, \`after_command_id\` varchar(36) null, \`target_kind\` varchar(16) not null, \`target_id\` varchar(36) not null, \`status\` varchar(16) not null, \`tx_id\` varchar(64) null, \`reason\` varchar(500) null, \`created_at\` datetime(3) not null, \`decided_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`deferred_commands\` add unique \`deferred_commands_command_id_unique\`(\`command_id\`);`,
    );
    this.addSql(`alter table \`deferred_commands\` add index \`deferred_commands_status_index\`(\`status\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`deferred_commands\`;`);
  }
}
