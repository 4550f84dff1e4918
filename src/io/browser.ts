// Which Chromium to render with: PUPPETEER_EXECUTABLE_PATH, then Debian's /usr/bin/chromium,
// then Chrome or Chromium on the PATH, then puppeteer's own cache. Never downloads one.
import { accessSync, constants, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BrowserChoice {
  executablePath: string;
  /** Where the choice came from, for messages. */
  from: string;
}

export class NoBrowserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoBrowserError';
  }
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

export function findBrowser(env: NodeJS.ProcessEnv = process.env): BrowserChoice {
  const given = env.PUPPETEER_EXECUTABLE_PATH;
  if (given) {
    if (executable(given)) return { executablePath: given, from: 'PUPPETEER_EXECUTABLE_PATH' };
    throw new NoBrowserError(`PUPPETEER_EXECUTABLE_PATH is ${given}, which is not an executable file`);
  }
  if (executable('/usr/bin/chromium')) return { executablePath: '/usr/bin/chromium', from: '/usr/bin/chromium' };
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const file = path.join(dir, name);
      if (executable(file)) return { executablePath: file, from: 'PATH' };
    }
  }
  const cache = path.join(env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer'), 'chrome');
  try {
    for (const version of readdirSync(cache).sort().reverse()) {
      const file = path.join(cache, version, 'chrome-linux64', 'chrome');
      if (executable(file)) return { executablePath: file, from: 'puppeteer cache' };
    }
  } catch {
    // no cache: fall through
  }
  throw new NoBrowserError('no Chromium or Chrome found');
}

export const INSTALL_HINT = 'install Chromium (Debian: apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji) or set PUPPETEER_EXECUTABLE_PATH, or pass --no-render';

/** Chromium refuses to run as root without --no-sandbox. */
export function needsNoSandbox(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
