import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../util/errors.ts';

/** The files behind `--config` values: a folder stands for its `*.env` files, in name order. */
export function expandConfigPaths(paths: string[], cwd: string = process.cwd()): string[] {
  const files: string[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    if (!isDirectory(path)) {
      files.push(path);
      continue;
    }
    const found = readdirSync(path).filter((name) => name.endsWith('.env')).sort().map((name) => join(path, name));
    if (found.length === 0) throw emptyFolder(path);
    files.push(...found);
  }
  return [...new Set(files)];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a missing file is reported by loadConfig, with its own message
  }
}

function emptyFolder(path: string): UserError {
  return new UserError('config_folder_empty', {
    what: { zh: '配置文件夹 {path} 中没有 *.env 文件', en: 'The config folder {path} has no *.env file' },
    why: { zh: '--config 指向文件夹时，其中每个 *.env 文件是一个企业的配置', en: 'When --config names a folder, each *.env file in it configures one corp' },
    fix: { zh: '把各企业的配置放进该文件夹（如 corp-a.env），或让 --config 指向一个文件', en: 'Put each corp\'s config in the folder (e.g. corp-a.env), or point --config at a file' },
    vars: { path },
  });
}
