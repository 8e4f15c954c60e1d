import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTemplate, TemplateError, type ProcedureTemplate } from '../domain/template';
import { fromRoot } from './paths';

// Loads every procedure template (*.json) from the template folders. Each is checked against the
// invariants of DOMAIN §3; one bad template stops the boot with the rules it breaks.

export type TemplateRegistry = ReadonlyMap<string, ProcedureTemplate>;

export function loadTemplates(
  dirs: string[] = (process.env.DUEPROCESS_TEMPLATES_DIR ?? fromRoot('templates')).split(path.delimiter),
): TemplateRegistry {
  const registry = new Map<string, ProcedureTemplate>();
  for (const dir of dirs) {
    for (const name of fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const file = path.join(dir, name);
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        throw new Error(`procedure template ${file} is not valid JSON: ${(e as Error).message}`);
      }
      try {
        const t = parseTemplate(raw, file);
        if (registry.has(t.id)) throw new Error(`procedure template id "${t.id}" is defined twice (${file})`);
        registry.set(t.id, t);
      } catch (e) {
        if (e instanceof TemplateError) throw new Error(`${file}: ${e.message}`);
        throw e;
      }
    }
  }
  if (registry.size === 0) throw new Error(`no procedure templates found in ${dirs.join(', ')}`);
  return registry;
}
