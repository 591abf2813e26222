/**
 * The selections the labelled requests refer to (by key). Long selections repeat a base snippet up to a target
 * size, which is all the router reads of them: their kind, language and token count.
 */
export interface Snippet {
  languageId: string;
  text: string;
}

const TS = `export async function fetchUser(id: string, cache: Map<string, User>): Promise<User | undefined> {
  const hit = cache.get(id);
  if (hit) return hit;
  const res = await fetch(\`/api/users/\${encodeURIComponent(id)}\`);
  if (!res.ok) return undefined;
  const user = (await res.json()) as User;
  cache.set(id, user);
  return user;
}
`;

const PY = `import os
import requests

def load_config(path: str) -> dict:
    """Reads the config and fills in defaults from the environment."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    data.setdefault("timeout", int(os.environ.get("TIMEOUT", "30")))
    for attempt in range(3):
        try:
            r = requests.get(data["url"], timeout=data["timeout"])
            r.raise_for_status()
            break
        except requests.RequestException:
            if attempt == 2:
                raise
    return data
`;

const GO = `func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.URL.Query().Get("id")
	item, ok := s.items[id]
	if !ok {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	json.NewEncoder(w).Encode(item)
}

func main() {
	s := &Server{items: map[string]Item{}}
	http.HandleFunc("/item", s.handle)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
`;

const JAVA = `public class Counter {
    private int count = 0;
    private final List<String> seen = new ArrayList<>();

    public void add(String key) {
        if (!seen.contains(key)) {
            seen.add(key);
            count++;
        }
    }

    public int get() { return count; }
}
`;

const C = `int read_all(int fd, char *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0) return -1;
        got += r;
    }
    buf[got] = '\\0';
    return 0;
}
`;

const SQL = `SELECT u.id, u.name, COUNT(o.id) AS orders
FROM users u
LEFT JOIN orders o ON o.user_id = u.id
WHERE u.created_at > '2024-01-01'
GROUP BY u.id, u.name
ORDER BY orders DESC
LIMIT 50;
`;

const JSON_ = `{
  "name": "billing-api",
  "version": "2.3.1",
  "license": "MIT",
  "port": 8080,
  "dependencies": { "express": "^4.19.2", "pg": "^8.11.0", "zod": "^3.23.0" },
  "retry": { "attempts": 3, "backoffMs": 250 }
}
`;

const YAML = `server:
  port: 8080
  timeout: 30s
database:
  host: db.internal
  pool: 10
features:
  - search
  - export
`;

const CSV = `id,name,email,signup_date,plan
1,Ana,ana@example.com,2024-03-02,pro
2,Bo,bo@example.com,2024-03-05,free
3,Chen,chen@example.com,2024-04-11,team
`;

const CSS = `.button { color: #ffffff; background: #0a84ff; border-radius: 6px; }
.button:hover { background: #0066cc; }
.alert { color: #b00020; border: 1px solid #f2b8b5; }
`;

const SH = `#!/bin/sh
set -eu
cd "$(dirname "$0")/.."
npm ci
npm run build
tar czf dist.tgz dist
scp dist.tgz deploy@example.com:/srv/app/
`;

const MD = `The export feature lets users download their data as CSV. Since version 2.1 it also runs in the background
for large accounts and sends an email to support@example.com when it is done; see https://example.com/docs/export.
We plan to add JSON output in the next release, and the old synchronous endpoint will be removed on 2025-06-30.
`;

const TXT = `apples
Pears
bananas
cherries
Dates
`;

const ZH = `本次发布修复了导出功能在文件名包含空格时失败的问题。新版本于 2024年3月15日 上线，张伟负责后端，李娜负责测试。
下一个版本计划在 4月底 发布，届时会加入 JSON 导出，并移除旧的同步接口。`;

const LOG = `2024-05-01T10:00:01Z INFO  server started on :8080
2024-05-01T10:00:07Z WARN  slow query (1200 ms) on /reports
2024-05-01T10:00:09Z ERROR panic: runtime error: index out of range [3] with length 3
goroutine 18 [running]:
main.(*Server).handle(0xc000010000, 0x7f1c2)
	/app/server.go:42 +0x1a5
`;

const DIFF = `--- a/src/export.ts
+++ b/src/export.ts
@@ -10,7 +10,9 @@ export function exportCsv(rows: Row[]): string {
-  return rows.map((r) => r.join(',')).join('\\n');
+  return rows
+    .map((r) => r.map(quote).join(','))
+    .join('\\n');
 }
`;

function repeat(base: string, targetChars: number): string {
  let s = base;
  while (s.length < targetChars) s += `\n${base}`;
  return s;
}

export const SNIPPETS: Record<string, Snippet> = {
  'ts-short': { languageId: 'typescript', text: TS },
  'ts-long': { languageId: 'typescript', text: repeat(TS, 18_000) },
  'py-short': { languageId: 'python', text: PY },
  'py-long': { languageId: 'python', text: repeat(PY, 20_000) },
  'go-short': { languageId: 'go', text: GO },
  'java-short': { languageId: 'java', text: JAVA },
  'c-short': { languageId: 'c', text: C },
  'sql-short': { languageId: 'sql', text: SQL },
  'json-short': { languageId: 'json', text: JSON_ },
  'yaml-short': { languageId: 'yaml', text: YAML },
  'csv-short': { languageId: 'csv', text: CSV },
  'css-short': { languageId: 'css', text: CSS },
  'sh-short': { languageId: 'shellscript', text: SH },
  'md-short': { languageId: 'markdown', text: MD },
  'md-long': { languageId: 'markdown', text: repeat(MD, 14_000) },
  'txt-short': { languageId: 'plaintext', text: TXT },
  'txt-zh-short': { languageId: 'plaintext', text: ZH },
  'txt-zh-long': { languageId: 'plaintext', text: repeat(ZH, 3_500) },
  'log-short': { languageId: 'log', text: LOG },
  'diff-short': { languageId: 'diff', text: DIFF },
};
