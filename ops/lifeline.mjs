// Preloaded (`node --import …/ops/lifeline.mjs`) into every process that `npm start` runs.
//
// The orchestrator hands each child one end of a pipe on the file descriptor named by
// CLEARBOOK_LIFELINE_FD and keeps the other end open for as long as it lives. When the
// orchestrator goes away, however it goes (SIGKILL, a crash, an out-of-memory kill), the kernel
// closes its end, this end reads end-of-file, and the child stops itself with SIGTERM — the same
// graceful shutdown a signal from the orchestrator would have started. So no child outlives it.
import { Socket } from "node:net";

const fd = Number(process.env.CLEARBOOK_LIFELINE_FD);
// The variable describes this process's descriptors only; nothing this process starts inherits them.
delete process.env.CLEARBOOK_LIFELINE_FD;

if (Number.isInteger(fd) && fd > 2) {
  let lifeline;
  try {
    lifeline = new Socket({ fd, readable: true, writable: false });
  } catch {
    lifeline = undefined; // not a pipe after all (started by hand with the variable set): nothing to watch
  }
  if (lifeline) {
    let gone = false;
    const orphaned = () => {
      if (gone) return;
      gone = true;
      process.stderr.write("lifeline: the process that started this one is gone; stopping\n");
      process.kill(process.pid, "SIGTERM");
      // A process that ignores SIGTERM still goes, after its own shutdown had time to finish.
      setTimeout(() => process.exit(1), 20_000).unref();
    };
    lifeline.on("end", orphaned);
    lifeline.on("close", orphaned);
    lifeline.on("error", orphaned);
    lifeline.resume();
    // Watching must not keep an otherwise finished process alive.
    lifeline.unref();
  }
}
