// What a browser of ours leaves on the machine, and how it is taken away on every way out.
// Chromium runs in its own process group (puppeteer's `detached`) and talks to us over a pipe,
// so it shuts itself down when sdp dies; its profile and its own temp files (Chromium puts an
// `org.chromium.Chromium.*` folder in TMPDIR) live in one folder of ours. A `kill -9` of sdp
// runs none of our code: a watchdog, a shell blocked on a pipe from sdp, wakes when that pipe
// closes and kills the group and removes the folder. It costs no CPU while it waits.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Reads lines from sdp: the browser's process group id (`-`: the group is gone), then `done`
 * when sdp cleaned up itself.
 * End of input without `done` means sdp is gone: kill the group, remove the folder. `kill -- -N`
 * signals the group; rm is retried while the dying processes still write.
 */
const WATCHDOG = `pg=
while IFS= read -r line; do
  case $line in
    done) exit 0 ;;
    -) pg= ;;
    *) pg=$line ;;
  esac
done
# dash's kill takes no -- before a pid: a negative pid right after the signal is a process group.
# sdp killed before it could name the group: the browser is the process given our profile.
if [ -n "$pg" ]; then kill -KILL "-$pg" 2>/dev/null; else pkill -KILL -f -- "--user-data-dir=$1/" 2>/dev/null; fi
i=0
while [ -e "$1" ] && [ $i -lt 100 ]; do rm -rf "$1" 2>/dev/null; [ -e "$1" ] && sleep 0.1; i=$((i+1)); done
`;

export class BrowserHome {
  /** $TMPDIR/sdp-chromium-XXXXXX: everything below it is ours. */
  readonly dir: string;
  readonly profile: string;
  /** The TMPDIR Chromium is given. */
  readonly tmp: string;
  private readonly watchdog?: ChildProcess;
  private pid?: number;
  private released?: Promise<void>;

  constructor() {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'sdp-chromium-'));
    this.profile = path.join(this.dir, 'profile');
    this.tmp = path.join(this.dir, 'tmp');
    mkdirSync(this.tmp);
    try {
      this.watchdog = spawn('/bin/sh', ['-c', WATCHDOG, 'sdp-watchdog', this.dir], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], cwd: '/' });
      this.watchdog.on('error', () => undefined); // no /bin/sh: the other ways out still clean up
      this.watchdog.stdin?.on('error', () => undefined);
      // Neither the watchdog nor its pipe may keep sdp running.
      this.watchdog.unref();
      (this.watchdog.stdin as unknown as { unref?(): void } | null)?.unref?.();
    } catch {
      this.watchdog = undefined;
    }
  }

  /** The environment Chromium runs in: its temp files land in our folder. */
  env(): NodeJS.ProcessEnv {
    return { ...process.env, TMPDIR: this.tmp };
  }

  /** The browser is running as the leader of its own process group `pid`. */
  started(pid: number | undefined): void {
    if (pid === undefined) return;
    this.pid = pid;
    this.watchdog?.stdin?.write(`${pid}\n`);
  }

  /**
   * Kills the browser's whole process group (renderers included, also a stopped one) and removes
   * the folder. Safe to call more than once and from any exit path; never throws.
   */
  release(proc?: ChildProcess | null): Promise<void> {
    this.released ??= (async () => {
      const pid = this.pid ?? proc?.pid;
      if (pid !== undefined) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          try {
            proc?.kill('SIGKILL');
          } catch {
            // gone already
          }
        }
      }
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2000);
          proc.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      // Helpers killed a moment ago may still be finishing a write into the profile.
      const removed = await fs.rm(this.dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 }).then(
        () => true,
        () => false,
      );
      // Not removed: the watchdog tries again once sdp is gone, without killing a group id that
      // may by then belong to someone else.
      this.watchdog?.stdin?.end(removed ? 'done\n' : '-\n');
    })();
    return this.released;
  }
}
