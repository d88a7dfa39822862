// scripts/lavapipe.sh on temporary apt trees: the bookworm-backports entry takes the mirror (and
// key) of the system's own bookworm entry, deb822 or one-line; nothing is added twice.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../cli/run-cli.js';

const script = join(__dirname, '../../scripts/lavapipe.sh');

function tree(files: Record<string, string>): string {
  const root = tempDir('specmap-apt-');
  mkdirSync(join(root, 'etc/apt/sources.list.d'), { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  return root;
}

function sh(fn: string, root: string): string {
  return execFileSync('bash', ['-c', `. "$0"; ${fn} "$1" bookworm`, script, root], { encoding: 'utf8' });
}

const DEB822 = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://mirror.example.org/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://security.example.org/debian-security
Suites: bookworm-security
Components: main
`;

describe('scripts/lavapipe.sh: the bookworm-backports source', () => {
  it('derives the entry from a deb822 file, keeps its key, and adds it once', () => {
    const root = tree({ 'etc/apt/sources.list.d/debian.sources': DEB822 });
    const file = sh('lavapipe_add_backports', root).trim();
    expect(file).toBe(join(root, 'etc/apt/sources.list.d/specmap-bookworm-backports.sources'));
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('URIs: http://mirror.example.org/debian\n');
    expect(text).toContain('Suites: bookworm-backports\nComponents: main\n');
    expect(text).toContain('Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n');
    expect(sh('lavapipe_add_backports', root)).toBe('');
    expect(readdirSync(join(root, 'etc/apt/sources.list.d')).sort()).toEqual([
      'debian.sources',
      'specmap-bookworm-backports.sources',
    ]);
  });

  it('derives it from a one-line sources.list, with or without options', () => {
    const plain = tree({
      'etc/apt/sources.list':
        '# deb http://old.example.org/debian bookworm main\ndeb http://security.debian.org/debian-security bookworm-security main\ndeb http://ftp.de.debian.org/debian bookworm main non-free-firmware\n',
    });
    expect(sh('lavapipe_backports_entry', plain)).toBe(
      'Types: deb\nURIs: http://ftp.de.debian.org/debian\nSuites: bookworm-backports\nComponents: main\n',
    );
    const opts = tree({
      'etc/apt/sources.list':
        'deb [arch=amd64 signed-by=/etc/apt/keyrings/d.gpg] https://m.example.org/debian bookworm main\n',
    });
    expect(sh('lavapipe_backports_entry', opts)).toContain(
      'URIs: https://m.example.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /etc/apt/keyrings/d.gpg\n',
    );
  });

  it('adds nothing when the suite is already there or no bookworm entry exists', () => {
    const present = tree({
      'etc/apt/sources.list.d/debian.sources': DEB822,
      'etc/apt/sources.list': 'deb http://deb.debian.org/debian bookworm-backports main\n',
    });
    expect(sh('lavapipe_add_backports', present)).toBe('');
    expect(readdirSync(join(present, 'etc/apt/sources.list.d'))).toEqual(['debian.sources']);
    const other = tree({ 'etc/apt/sources.list': 'deb http://archive.ubuntu.com/ubuntu noble main\n' });
    expect(sh('lavapipe_backports_entry', other)).toBe('');
    expect(() => sh('lavapipe_add_backports', other)).toThrow();
  });

  it('accepts Mesa >= 24 only', () => {
    const ok = (v: string) => {
      try {
        execFileSync('bash', ['-c', '. "$0"; lavapipe_version_ok "$1"', script, v]);
        return true;
      } catch {
        return false;
      }
    };
    expect(ok('25.0.7-2~bpo12+1')).toBe(true);
    expect(ok('24.2.8-1ubuntu1~24.04.1')).toBe(true);
    expect(ok('22.3.6-1+deb12u1')).toBe(false);
    expect(ok('')).toBe(false);
  });
});
