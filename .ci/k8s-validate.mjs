import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
const file = process.argv[2];
let bad = 0, n = 0;
for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
  const obj = doc.toJS();
  if (!obj) continue;
  n++;
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const path = `kubernetes-models/${group ? group + '/' : ''}${version}/${obj.kind}`;
  let Model;
  try { Model = (await import(path))[obj.kind]; } catch (e) { console.error(`${obj.kind} ${obj.apiVersion}: no schema (${e.message})`); bad++; continue; }
  try { new Model(obj).validate(); console.log(`ok ${obj.kind}/${obj.metadata?.name}`); }
  catch (e) { console.error(`${obj.kind}/${obj.metadata?.name}: ${e.message}`); bad++; }
}
if (n === 0) { console.error('no documents'); process.exit(1); }
process.exit(bad ? 1 : 0);
