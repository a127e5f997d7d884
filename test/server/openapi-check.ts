/**
 * A structural check of an OpenAPI 3.1 document, without a validator dependency: the parts this
 * project relies on (version, info, paths, operations with responses, path parameters declared,
 * security schemes referenced). Returns the problems found, each naming where.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function checkOpenApi31(doc: any): string[] {
  const problems: string[] = [];
  const need = (ok: unknown, where: string) => { if (!ok) problems.push(where); };
  need(typeof doc?.openapi === 'string' && /^3\.1\.\d+$/.test(doc.openapi), `openapi is 3.1.x (got ${doc?.openapi})`);
  need(typeof doc?.info?.title === 'string' && typeof doc?.info?.version === 'string', 'info.title and info.version are strings');
  need(doc?.paths && typeof doc.paths === 'object', 'paths is an object');
  const schemes = doc?.components?.securitySchemes ?? {};
  for (const requirement of doc?.security ?? []) for (const name of Object.keys(requirement)) need(schemes[name], `security scheme ${name} is defined`);
  for (const [path, item] of Object.entries<any>(doc?.paths ?? {})) {
    need(path.startsWith('/'), `${path} starts with /`);
    const operations = Object.entries<any>(item).filter(([key]) => METHODS.includes(key));
    need(operations.length > 0, `${path} has an operation`);
    const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const [method, op] of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      const responses = Object.entries<any>(op.responses ?? {});
      need(responses.length > 0, `${where} has responses`);
      for (const [status, response] of responses) {
        need(/^([1-5]\d\d|[1-5]XX|default)$/.test(status), `${where} response ${status} is a status code`);
        need(typeof response?.description === 'string', `${where} response ${status} has a description`);
      }
      const params: any[] = op.parameters ?? [];
      for (const name of templated) need(params.some((p) => p.in === 'path' && p.name === name && p.required === true), `${where} declares path parameter ${name}`);
      for (const p of params) {
        need(['query', 'header', 'path', 'cookie'].includes(p.in) && typeof p.name === 'string', `${where} parameter ${p.name} is well formed`);
        need(p.in !== 'path' || templated.includes(p.name), `${where} path parameter ${p.name} is in the path`);
      }
      for (const requirement of op.security ?? []) for (const name of Object.keys(requirement)) need(schemes[name], `${where} security scheme ${name} is defined`);
    }
  }
  return problems;
}
