#!/usr/bin/env python3
"""Second benchmark corpus for stagedoor: long pages, lots of procedurally generated code.

Usage:
    tests/bench/gen-long.py OUT [--repos N] [--pages P] [--seed S] [--median-words W]
        defaults: --repos 1000 --pages 20000 --seed 7 --median-words 950

Writes a stagedoor input tree (OUT/stagedoor.yaml, OUT/radar/tech.csv, OUT/repos/<repo>/ with
catalog-info.yaml, mkdocs.yml and docs/) shaped deliberately unlike tests/bench's corpus
(examples/gen_corpus.rs via tests/bench/gen.sh: ~1-6 KB pages whose code comes from a fixed
snippet list, so highlighted code lines repeat and stagedoor's per-line highlight memo flatters
it). Issue 17 wants performance figures to hold on "a second, differently shaped corpus with
longer pages and more code"; this is that corpus. Build it with e.g.
    tests/bench/gen-long.py /work/bench-long
    stagedoor build /work/bench-long --out /tmp/bench-long-site --no-cache

Shape:
- pages of about 1,200 words at the median, prose and code together (log-normal, 300-5,000;
  about 2% of pages 8,000-15,000 words of mostly prose), h2-h4 headings;
- 3-10 fenced code blocks per page (median 5) of 10-120 lines (median ~13, skewed; ~0.3% of
  blocks 300-400 lines) in 15 languages (python go java typescript javascript rust kotlin
  csharp ruby yaml json bash sql hcl dockerfile), built from per-language templates with random
  identifiers, literals, comments and nesting so code lines rarely repeat across the corpus (the
  summary prints the share of non-blank code lines whose exact text occurs more than once;
  ~15% at the defaults, nearly all of it closing braces/`end`/`fi` and YAML/k8s skeleton);
- fences with title=/linenums="1"/hl_lines=, tables of 5-30 rows, admonitions, collapsible
  blocks, content tabs holding code, footnotes, nested ordered/unordered lists, inline code,
  mermaid, links to other pages of the repo (many with #anchors, all of which exist) and to other
  repos' docs (/docs/default/component/<name>/<page>/);
- catalog: repos/org (a Location for groups/ and users/, plus domains and systems) and one
  Component per other repo; ~40% of repos also have an API (inline OpenAPI definition) and ~25%
  a Resource; owners are teams, dependsOn/providesApis/consumesApis point at other repos'
  entities; mkdocs.yml has a nested nav (sections, some with a sub-section).

Size: the defaults write ~260 MB of Markdown (20,000 pages, ~2.5 M code lines). The issue's
independent corpus was 181 MB for 1,000 x 20 pages of "~1,200 words with code"; with 3-10
code blocks per page and the 2% of 8,000-15,000-word pages, the code alone is ~110 MB and the
long pages ~35 MB, so 181 MB is not reachable without much shorter prose. --median-words trades
size against page length (600: ~220 MB, median ~960 words of which ~410 prose; 1,900: ~390 MB,
median ~2,000 words of which ~1,500 prose).

Deterministic: seeded random.Random per repo/page (string seeds, so PYTHONHASHSEED does not
matter), sorted iteration, nothing from the clock or the machine; the same arguments give a
byte-identical tree. Python 3.11 standard library only; about 50 s of CPU at the defaults.

OUT must be missing, empty, or a folder this script wrote before (it holds the marker file
.gen-long-corpus); such a folder is deleted and rewritten. Anything else is refused.
Prints one summary line: repos (the org repo included), pages, catalog entities, MB of Markdown,
code blocks, code lines, the repeated-code-line share and the median words per page.
"""

import argparse
import os
import posixpath
import random
import shutil
import sys

MARKER = ".gen-long-corpus"
ORG = "longorg"
ORG_REPO = "org"
MEDIAN_WORDS = 950  # log-normal centre; prose + code comes out at a ~1,200-word median

# ---------------------------------------------------------------------------------------------
# Vocabulary

def _w(s):
    return tuple(s.split())

NOUNS = _w("""order invoice ledger payment refund account customer session token batch shard
replica partition queue topic event message record entry report schedule job task worker
pipeline stage artifact release build deployment cluster node pod container volume bucket
object snapshot backup index document query cursor page segment chunk block frame packet
request response handler route endpoint gateway proxy client server cache store table column
schema migration tenant region zone quota limit budget alert incident metric trace span log
audit policy role permission grant credential secret certificate key signature checksum digest
manifest config setting flag feature experiment cohort variant profile preference address
shipment parcel carrier warehouse inventory product catalog price discount coupon cart basket
checkout subscription plan renewal trial notification email webhook callback listener consumer
producer stream window watermark offset lease lock mutex semaphore heartbeat probe check
ticket comment review approval request draft version revision branch commit tag label
""")
ADJS = _w("""stale pending active retired primary secondary remote local cached durable transient
idempotent eventual strict lenient partial complete nightly hourly regional global internal
external sharded replicated encrypted signed verified trusted untrusted slow fast noisy quiet
large small empty full hot cold warm expired fresh missing duplicate orphaned blocked throttled
degraded healthy unhealthy paused resumed queued scheduled manual automatic optional mandatory
""")
VERBS = _w("""validates stores forwards retries batches compacts replays rejects signs encrypts
caches invalidates publishes consumes schedules aggregates reconciles exports imports indexes
streams buffers throttles shards migrates rotates archives deduplicates enriches routes
normalises serialises checkpoints backfills""")
VERBS_BASE = _w("""validate store forward retry batch compact replay reject sign encrypt cache
invalidate publish consume schedule aggregate reconcile export import index stream buffer
throttle shard migrate rotate archive deduplicate enrich route normalise serialise checkpoint
backfill""")
ADVS = _w("""quickly safely eventually rarely usually carefully explicitly implicitly lazily
eagerly asynchronously synchronously periodically atomically""")
TECH = (
    ("kafka", "Kafka"), ("postgresql", "PostgreSQL"), ("redis", "Redis"), ("kubernetes", "Kubernetes"),
    ("terraform", "Terraform"), ("grpc", "gRPC"), ("graphql", "GraphQL"), ("elasticsearch", "Elasticsearch"),
    ("rabbitmq", "RabbitMQ"), ("prometheus", "Prometheus"), ("grafana", "Grafana"), ("vault", "Vault"),
    ("envoy", "Envoy"), ("istio", "Istio"), ("argocd", "Argo CD"), ("helm", "Helm"), ("spark", "Spark"),
    ("flink", "Flink"), ("airflow", "Airflow"), ("dbt", "dbt"), ("snowflake", "Snowflake"),
    ("bigquery", "BigQuery"), ("dynamodb", "DynamoDB"), ("s3", "S3"), ("sqs", "SQS"), ("lambda", "Lambda"),
    ("nginx", "NGINX"), ("opentelemetry", "OpenTelemetry"), ("jaeger", "Jaeger"), ("sentry", "Sentry"),
    ("react", "React"), ("nextjs", "Next.js"), ("spring", "Spring Boot"), ("django", "Django"),
    ("fastapi", "FastAPI"), ("rails", "Rails"), ("dotnet", ".NET"), ("ktor", "Ktor"), ("tokio", "Tokio"),
    ("gin", "Gin"),
)
METRICS = _w("""latency throughput error-rate saturation availability p99 p95 queue-depth lag
cpu memory disk-usage hit-ratio retries timeouts""")
ENVS = ("dev", "staging", "production", "sandbox", "canary")
PERSON_FIRST = _w("""ada alan grace linus barbara ken dennis margaret edsger donald frances john
radia tim vint leslie shafi silvio whitfield niklaus""")
PERSON_LAST = _w("""lovelace turing hopper torvalds liskov thompson ritchie hamilton dijkstra
knuth allen mccarthy perlman berners-lee cerf lamport goldwasser micali diffie wirth""")
AREAS = _w("""payments billing checkout identity search catalog pricing shipping inventory
analytics growth messaging notifications ledger fraud risk onboarding support platform
storage compute network observability security data ml mobile web partner""")
COMP_SUFFIX = (("service", "service"), ("api", "service"), ("worker", "service"),
               ("gateway", "service"), ("lib", "library"), ("sdk", "library"), ("ui", "website"),
               ("portal", "website"), ("pipeline", "service"), ("scheduler", "service"))
QUALIFIERS = _w("core edge batch realtime legacy v2 internal public admin sync async")
SECTION_NAMES = _w("""guides operations reference architecture runbooks tutorials how-to
concepts integrations development security data""")
PAGE_TOPICS = _w("""overview getting-started configuration deployment monitoring alerting
troubleshooting faq api-usage data-model migrations scaling capacity security access-control
release-process testing local-development on-call incident-response backups disaster-recovery
performance caching rate-limits webhooks events schemas glossary changelog roadmap design
decisions dependencies integration sdk-usage cli feature-flags experiments retention privacy
compliance cost observability tracing logging dashboards slos runbook upgrade""")

SENTENCES = (
    "The {adj} {noun} {verb} every {noun2} before the {noun3} is committed.",
    "When {metric} rises above {num} ms, the {noun} {verb} the {adj} {noun2} {adv}.",
    "Each {noun} is owned by {team} and {verb} {noun2}s for the {repo} service.",
    "We keep the {noun} {adj} so that the {noun2} never {verb} a {adj2} {noun3}.",
    "{Tech} handles the {noun} path, while {Tech2} {verb} the {adj} {noun2}s.",
    "If the {noun} is {adj}, set `{ident}` to `{value}` and restart the {noun2} in {env}.",
    "Most teams never touch the {noun}; the {noun2} {verb} it {adv} on their behalf.",
    "During an incident, check the {metric} of the {noun} first, then the {adj} {noun2}.",
    "The {noun2} {verb} roughly {k} {noun}s per second at peak, with {metric} under {num} ms.",
    "A {adj} {noun} is retried at most {k} times, after which it {verb} to the dead-letter {noun2}.",
    "Since version {k}.{k2}, the {noun} {verb} the {noun2} instead of polling it.",
    "This is deliberate: a {adj} {noun} costs less than a {adj2} {noun2} in {env}.",
    "Reviewers should confirm that the {noun} {verb} {noun2}s {adv} and logs the {metric}.",
    "The {Tech} client reuses one {noun} per {noun2}, which keeps {metric} predictable.",
    "Our dashboards plot {metric} per {noun}, split by {noun2} and by region.",
    "Do not share a {noun} between tenants; each {noun2} {verb} its own {adj} copy.",
    "In {env}, the {noun} is {adj} by default and {verb} {noun2}s only on request.",
    "The migration from {Tech} to {Tech2} moved every {noun} behind the {noun2} layer.",
    "Alerts fire when the {adj} {noun} count exceeds {num} for {k} minutes.",
    "Use `{ident}` to inspect a {noun}; it prints the {noun2}, its {metric} and its owner.",
    "Because the {noun} is {adj}, readers may see a {adj2} {noun2} for up to {k} seconds.",
    "The {repo} team {verb} {noun}s nightly and publishes a report of every {adj} {noun2}.",
    "Capacity planning assumes {num} {noun}s per {noun2} and a {metric} budget of {k} percent.",
    "A {noun} that {verb} {noun2}s must also emit the `{ident}` metric.",
    "Keep the {noun} small: large {noun2}s make {metric} worse and {verb} poorly.",
    "The {noun2} contract is versioned; a {adj} {noun} is never removed without a deprecation window.",
    "Operators {verb_base} the {noun} with the runbook below rather than by hand.",
    "Tests create a {adj} {noun} per case, so the {noun2} fixtures stay independent.",
)
LIST_ITEMS = (
    "the {noun} {verb} each {adj} {noun2}",
    "`{ident}` controls how often the {noun} is refreshed",
    "{Tech} stores the {adj} {noun}s",
    "{metric} stays under {num} ms for {k} in {k2} requests",
    "a {adj} {noun} is logged with its {noun2} id",
    "owners: {team}, escalation via the {noun} channel",
    "the {noun2} is {adj} in {env}",
    "{verb_base} the {noun} before touching the {noun2}",
)
STEPS = (
    "{Verb_base} the {adj} {noun} with `{ident}`.",
    "Check that the {noun2} reports {metric} under {num} ms.",
    "Open the {Tech} console and find the {noun}.",
    "Set `{ident}: {value}` in the {env} config.",
    "Wait {k} minutes for the {noun} to drain.",
    "Confirm with {team} that no {adj} {noun2} is left.",
    "Run the smoke test for the {noun} and compare the {metric}.",
)
FOOTNOTES = (
    "Measured in {env} over {k} weeks; {metric} varies with the {noun} mix.",
    "See the {Tech} documentation for the {adj} {noun} semantics.",
    "Decided in the {noun} design review; {team} owns the follow-up.",
    "Older clients {verb} the {noun} differently; they are being retired.",
)
ADMONITIONS = (("!!!", "note"), ("!!!", "warning"), ("!!!", "tip"), ("!!!", "danger"),
               ("!!!", "info"), ("!!!", "example"), ("???", "tip"), ("???", "note"),
               ("???+", "info"), ("???", "question"))
ADMON_TITLES = ("Before you start", "Why this matters", "Known issue", "Rollback",
                "On-call note", "Limits", "Good to know", "Compatibility", "Security")
H_TEMPLATES = ("{Verb_base} the {noun}", "{Noun} {noun2}s", "How the {noun} {verb} {noun2}s",
               "{Adj} {noun}s", "{Tech} and the {noun}", "{Noun} {metric}", "When the {noun} is {adj}",
               "Tuning {noun} {metric}", "The {noun2} lifecycle", "{Noun} limits in {env}",
               "Working with {adj} {noun2}s", "{Noun} failure modes", "Rolling out {noun} changes")

IDENT_WORDS = NOUNS + ADJS + VERBS_BASE

# ---------------------------------------------------------------------------------------------
# Small helpers

def cap(s):
    return s[:1].upper() + s[1:]


def slugify(text):
    """stagedoor's (Python-Markdown toc's) slugify for ASCII text."""
    kept = "".join(c for c in text if c.isascii() and (c.isalnum() or c in "_-" or c.isspace()))
    out = []
    in_sep = False
    for c in kept.strip().lower():
        if c == "-" or c.isspace():
            if not in_sep:
                out.append("-")
            in_sep = True
        else:
            out.append(c)
            in_sep = False
    return "".join(out)


def humanise(slug):
    up = {"api", "sdk", "ui", "v2", "ml", "faq", "cli", "slos"}
    return " ".join("SLOs" if w == "slos" else w.upper() if w in up else cap(w) for w in slug.split("-"))


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fix_articles(text):
    words = text.split(" ")
    for i in range(len(words) - 1):
        if words[i] in ("a", "A") and words[i + 1][:1] in ("a", "e", "i", "o", "u"):
            words[i] += "n"
    return " ".join(words)


def portal_url(component, path):
    stem = path[:-3]
    if stem == "index":
        return f"/docs/default/component/{component}/"
    if stem.endswith("/index"):
        stem = stem[:-6]
    return f"/docs/default/component/{component}/{stem}/"


def rel_link(from_path, to_path):
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


# ---------------------------------------------------------------------------------------------
# Code generation: random identifiers and per-language templates

class Ids:
    """Random identifiers and literals, drawn so lines rarely repeat."""

    def __init__(self, rng):
        self.r = rng

    def words(self, lo=1, hi=2):
        # mostly the longer names: one-word names collide across a corpus of millions of lines
        r = self.r
        n = lo if hi == lo or r.random() < 0.2 else r.randint(lo + 1, hi)
        c = r.choice
        return [c(IDENT_WORDS) for _ in range(n)]

    def snake(self, lo=1, hi=3):
        return "_".join(self.words(lo, hi))

    def camel(self, lo=1, hi=3):
        w = self.words(lo, hi)
        return w[0] + "".join(cap(x) for x in w[1:])

    def pascal(self, lo=1, hi=2):
        return "".join(cap(x) for x in self.words(lo, hi))

    def kebab(self, lo=1, hi=3):
        return "-".join(self.words(lo, hi))

    def fn(self):
        return self.r.choice(VERBS_BASE) + "".join(cap(x) for x in self.words(1, 2))

    def fn_snake(self):
        return self.r.choice(VERBS_BASE) + "_" + self.snake(1, 2)

    def num(self):
        k = self.r.random()
        if k < 0.15:
            return str(self.r.randint(2, 999))
        if k < 0.6:
            return str(self.r.randint(1000, 99999))
        return str(self.r.randint(100000, 9999999))

    def text(self):
        r = self.r
        return f"{r.choice(NOUNS)} {r.choice(VERBS)} {r.choice(NOUNS)} {r.randint(1, 999)}"

    def comment(self):
        r = self.r
        forms = (
            "{v} the {a} {n} before the {n2} is flushed",
            "keep {n} under {k} to protect the {n2}",
            "{a} {n}s are skipped here (see {n2} #{k})",
            "TODO({p}): {v} {n}s in batches of {k}",
            "the {n2} {vs} this {n}; do not reorder",
            "{k} is the {a} limit agreed with the {n} owners",
        )
        return r.choice(forms).format(v=r.choice(VERBS_BASE), vs=r.choice(VERBS), a=r.choice(ADJS),
                                      n=r.choice(NOUNS), n2=r.choice(NOUNS), k=r.randint(2, 9999),
                                      p=r.choice(PERSON_FIRST))

    def path(self):
        return "/v" + str(self.r.randint(1, 4)) + "/" + self.kebab(1, 2) + "s/" + self.kebab(1, 1)


class CLike:
    """Brace languages share a statement engine; each supplies its syntax."""

    def __init__(self, rng, lang):
        self.r = rng
        self.i = Ids(rng)
        self.lang = lang

    # -- expressions
    def expr(self):
        i, r, L = self.i, self.r, self.lang
        k = r.random()
        if k < 0.3:
            return f"{i.camel(1, 2)}.{self.method()}({self.args()})"
        if k < 0.5:
            return i.num() if L not in ("rust",) else i.num() + r.choice(("", "_u64", "_usize", "_i64"))
        if k < 0.7:
            return self.string(i.text())
        if k < 0.85:
            return f"{i.camel(1, 2)} {r.choice(('+', '-', '*', '/', '%'))} {i.num()}"
        return f"{self.method()}({self.args()})"

    def method(self):
        L = self.lang
        if L in ("go", "csharp"):
            return cap(self.i.fn())
        if L == "rust":
            return self.i.fn_snake()
        return self.i.fn()

    def args(self):
        n = self.r.randint(0, 3)
        out = []
        for _ in range(n):
            k = self.r.random()
            if k < 0.5:
                out.append(self.i.camel(1, 2) if self.lang != "rust" else "&" + self.i.snake(1, 2))
            elif k < 0.75:
                out.append(self.i.num())
            else:
                out.append(self.string(self.i.kebab(1, 2)))
        if self.lang == "go" and self.r.random() < 0.4:
            out.insert(0, "ctx")
        return ", ".join(out)

    def string(self, s):
        return '"' + s + '"'

    def var(self):
        return self.i.snake(1, 2) if self.lang == "rust" else self.i.camel(1, 2)

    def cond(self):
        i, r = self.i, self.r
        v = self.var()
        k = r.random()
        L = self.lang
        nil = {"go": "nil", "rust": "None", "java": "null", "kotlin": "null", "csharp": "null",
               "typescript": "undefined", "javascript": "null"}[L]
        if k < 0.35:
            return f"{v} {r.choice(('>', '<', '>=', '<=', '!='))} {i.num()}"
        if k < 0.55:
            return f"{v} == {nil}" if L != "rust" else f"{v}.is_none()"
        if k < 0.8:
            if L == "rust":
                return f"{v}.len() > {i.num()}"
            if L in ("go",):
                return f"len({v}) > {i.num()}"
            return f"{v}.{'size()' if L in ('java', 'kotlin') else 'length' if L in ('typescript', 'javascript') else 'Count'} > {i.num()}"
        return f"{self.method()}({self.args()})"

    # -- statements
    def decl(self):
        v, e, L = self.var(), self.expr(), self.lang
        return {"go": f"{v} := {e}", "rust": f"let {v} = {e};", "java": f"var {v} = {e};",
                "kotlin": f"val {v} = {e}", "csharp": f"var {v} = {e};",
                "typescript": f"const {v} = {e};", "javascript": f"const {v} = {e};"}[L]

    def assign(self):
        L = self.lang
        end = "" if L in ("go", "kotlin") else ";"
        obj = "self" if L == "rust" else "this" if L in ("java", "typescript", "javascript", "csharp", "kotlin") else self.i.camel(1, 1)
        field = self.i.snake(1, 2) if L == "rust" else (cap(self.i.camel(1, 2)) if L in ("go", "csharp") else self.i.camel(1, 2))
        return f"{obj}.{field} = {self.expr()}{end}"

    def call(self):
        L = self.lang
        end = "" if L in ("go", "kotlin") else ";"
        recv = self.i.camel(1, 2) if L != "rust" else self.i.snake(1, 2)
        return f"{recv}.{self.method()}({self.args()}){'?' if L == 'rust' and self.r.random() < 0.5 else ''}{end}"

    def log(self):
        i, L = self.i, self.lang
        msg = i.text()
        v = self.var()
        return {"go": f'log.Printf("{msg}: %v", {v})', "rust": f'tracing::info!({v} = ?{v}, "{msg}");',
                "java": f'log.info("{msg}: {{}}", {v});', "kotlin": f'logger.info {{ "{msg}: ${v}" }}',
                "csharp": f'_logger.LogInformation("{msg}: {{{cap(v)}}}", {v});',
                "typescript": f"logger.info(`{msg}: ${{{v}}}`);", "javascript": f"console.log(`{msg}: ${{{v}}}`);"}[L]

    def ret(self):
        L = self.lang
        e = self.expr()
        if L == "go":
            return f"return {e}, nil" if self.r.random() < 0.5 else f'return nil, fmt.Errorf("{self.i.text()}: %w", err)'
        if L == "rust":
            return f"return Ok({e});"
        if L == "kotlin":
            return f"return {e}"
        return f"return {e};"

    def comment_line(self):
        return "// " + self.i.comment()

    def if_head(self):
        c, L = self.cond(), self.lang
        return f"if {c} {{" if L in ("go", "rust") else f"if ({c}) {{"

    def for_head(self):
        v, coll, L = self.var(), self.var(), self.lang
        return {"go": f"for _, {v} := range {coll} {{", "rust": f"for {v} in {coll}.iter() {{",
                "java": f"for (var {v} : {coll}) {{", "kotlin": f"for ({v} in {coll}) {{",
                "csharp": f"foreach (var {v} in {coll}) {{", "typescript": f"for (const {v} of {coll}) {{",
                "javascript": f"for (const {v} of {coll}) {{"}[L]

    def else_line(self):
        if self.r.random() < 0.6:
            c = self.cond()
            return f"}} else if {c} {{" if self.lang in ("go", "rust") else f"}} else if ({c}) {{"
        return "} else {"

    def body(self, out, ind, n, depth):
        r = self.r
        for _ in range(n):
            k = r.random()
            if depth < 3 and k < 0.07:
                out.append(ind + self.if_head())
                self.body(out, ind + "    ", r.randint(2, 5), depth + 1)
                if r.random() < 0.3:
                    out.append(ind + self.else_line())
                    self.body(out, ind + "    ", r.randint(1, 3), depth + 1)
                out.append(ind + "}")
            elif depth < 3 and k < 0.11:
                out.append(ind + self.for_head())
                self.body(out, ind + "    ", r.randint(2, 5), depth + 1)
                out.append(ind + "}")
            elif k < 0.45:
                out.append(ind + self.decl())
            elif k < 0.6:
                out.append(ind + self.call())
            elif k < 0.7:
                out.append(ind + self.assign())
            elif k < 0.8:
                out.append(ind + self.log())
            else:
                out.append(ind + self.comment_line())

    def params(self):
        L, i = self.lang, self.i
        n = self.r.randint(0, 3)
        ps = []
        for _ in range(n):
            t = self.r.choice(("String", "Int", "Long", "Double", "Boolean")) if L == "kotlin" else None
            if L == "go":
                ps.append(f"{i.camel(1, 2)} {self.r.choice(('string', 'int64', '[]byte', '*' + i.pascal(1, 2), 'time.Duration'))}")
            elif L == "rust":
                ps.append(f"{i.snake(1, 2)}: {self.r.choice(('&str', 'u64', 'usize', '&' + i.pascal(1, 2), 'Option<String>'))}")
            elif L in ("java", "csharp"):
                ps.append(f"{self.r.choice(('String', 'int', 'long', i.pascal(1, 2), 'double'))} {i.camel(1, 2)}")
            elif L == "kotlin":
                ps.append(f"{i.camel(1, 2)}: {t}")
            elif L == "typescript":
                ps.append(f"{i.camel(1, 2)}: {self.r.choice(('string', 'number', 'boolean', i.pascal(1, 2)))}")
            else:
                ps.append(i.camel(1, 2))
        return ", ".join(ps)

    def function(self, out, ind, budget):
        L, i, r = self.lang, self.i, self.r
        name = self.method()
        p = self.params()
        if r.random() < 0.5:
            out.append(ind + self.doc_comment(name))
        head = {
            "go": f"func ({i.camel(1, 1)[:1]} *{i.pascal(1, 2)}) {name}({'ctx context.Context' + (', ' if p else '') + p}) (*{i.pascal(1, 2)}, error) {{",
            "rust": f"pub fn {name}(&self{', ' + p if p else ''}) -> Result<{i.pascal(1, 2)}, {i.pascal(1, 1)}Error> {{",
            "java": f"public {i.pascal(1, 2)} {name}({p}) {{",
            "kotlin": f"{r.choice(('fun', 'suspend fun', 'private fun'))} {name}({p}): {i.pascal(1, 2)} {{",
            "csharp": f"public async Task<{i.pascal(1, 2)}> {name}Async({p}) {{",
            "typescript": f"{r.choice(('async ', '', 'export async '))}function {name}({p}): Promise<{i.pascal(1, 2)}> {{",
            "javascript": f"{r.choice(('async ', '', 'export async '))}function {name}({p}) {{",
        }[L]
        out.append(ind + head)
        self.body(out, ind + "    ", fit(r, 6, 14, budget - 4), 0)
        out.append(ind + "    " + self.ret())
        out.append(ind + "}")

    def doc_comment(self, name):
        if self.lang == "rust":
            return f"/// {cap(name)} {self.i.comment()}."
        if self.lang == "go":
            return f"// {name} {self.i.comment()}."
        return f"/** {cap(self.i.comment())}. */"

    def header(self, out):
        L, i, r = self.lang, self.i, self.r
        if L == "go":
            out.append(f"package {i.words(1, 1)[0]}{r.choice(NOUNS)}")
            out.append("")
            out.append("import (")
            for imp in sorted(set(r.sample(("context", "fmt", "log", "time", "errors", "strings", "sync", "net/http"), 3))):
                out.append(f'\t"{imp}"')
            out.append(f'\t"github.com/{ORG}/{i.kebab(1, 2)}/{i.words(1, 1)[0]}"')
            out.append(")")
        elif L == "rust":
            out.append(f"use crate::{i.snake(1, 1)}::{{{i.pascal(1, 2)}, {i.pascal(1, 2)}}};")
            out.append(f"use std::{r.choice(('collections::HashMap', 'sync::Arc', 'time::Duration', 'fmt'))};")
        elif L == "java":
            out.append(f"package com.{ORG}.{i.words(1, 1)[0]}.{i.words(1, 1)[0]};")
            out.append("")
            out.append(f"import com.{ORG}.{i.words(1, 1)[0]}.{i.pascal(1, 2)};")
        elif L == "kotlin":
            out.append(f"package com.{ORG}.{i.words(1, 1)[0]}.{i.words(1, 1)[0]}")
            out.append("")
            out.append(f"import com.{ORG}.{i.words(1, 1)[0]}.{i.pascal(1, 2)}")
        elif L == "csharp":
            out.append(f"using {cap(ORG)}.{i.pascal(1, 1)}.{i.pascal(1, 2)};")
            out.append("")
            out.append(f"namespace {cap(ORG)}.{i.pascal(1, 1)}.{i.pascal(1, 1)};")
        else:
            out.append(f"import {{ {i.pascal(1, 2)}, {i.camel(1, 2)} }} from \"./{i.kebab(1, 2)}\";")
        out.append("")

    def generate(self, target):
        out = []
        L, r, i = self.lang, self.r, self.i
        if target >= 40 and r.random() < 0.5:
            self.header(out)
        wrap = L in ("java", "csharp", "kotlin") or (L in ("typescript", "rust") and r.random() < 0.4)
        ind = ""
        if wrap:
            cname = i.pascal(1, 2) + r.choice(("Service", "Client", "Repository", "Handler", "Worker", "Store"))
            out.append({"java": f"public final class {cname} {{", "csharp": f"public sealed class {cname}",
                        "kotlin": f"class {cname}(private val {i.camel(1, 2)}: {i.pascal(1, 2)}) {{",
                        "typescript": f"export class {cname} {{", "rust": f"impl {cname} {{"}[L])
            if L == "csharp":
                out.append("{")
            ind = "    "
        while True:
            if L in ("typescript",) and wrap:
                # class methods have no `function` keyword
                tmp = []
                self.function(tmp, ind, target - len(out))
                tmp = [ln.replace("export async function ", "async ").replace("async function ", "async ").replace("function ", "") for ln in tmp]
                out.extend(tmp)
            else:
                self.function(out, ind, target - len(out))
            if len(out) >= target:
                break
            out.append("")
        if wrap:
            out.append("}")
        return out


def gen_python(rng, target):
    i = Ids(rng)
    r = rng
    out = []
    if r.random() < 0.6:
        out.append(f"from {i.snake(1, 1)}.{i.snake(1, 2)} import {i.pascal(1, 2)}, {i.snake(1, 2)}")
        out.append(f"from {r.choice(('logging', 'asyncio', 'json', 'time', 'dataclasses', 'typing'))} import {i.snake(1, 1)}")
        out.append("")

    def expr():
        k = r.random()
        if k < 0.3:
            return f"{i.snake(1, 2)}.{i.fn_snake()}({', '.join(i.snake(1, 2) for _ in range(r.randint(0, 3)))})"
        if k < 0.5:
            return i.num()
        if k < 0.7:
            return repr(i.text())
        if k < 0.85:
            return f"{{{repr(i.snake(1, 1))}: {i.snake(1, 2)}, {repr(i.snake(1, 2))}: {i.num()}}}"
        return f"[{i.snake(1, 1)} for {i.snake(1, 1)} in {i.snake(1, 2)} if {i.snake(1, 1)}]"

    def body(ind, n, depth):
        for _ in range(n):
            k = r.random()
            if depth < 3 and k < 0.12:
                out.append(f"{ind}if {i.snake(1, 2)} {r.choice(('>', '<', '==', 'is not', '>='))} {r.choice((i.num(), 'None'))}:")
                body(ind + "    ", r.randint(2, 4), depth + 1)
                if r.random() < 0.3:
                    out.append(f"{ind}else:")
                    body(ind + "    ", r.randint(1, 3), depth + 1)
            elif depth < 3 and k < 0.18:
                out.append(f"{ind}for {i.snake(1, 2)} in {i.snake(1, 2)}:")
                body(ind + "    ", r.randint(2, 4), depth + 1)
            elif depth < 2 and k < 0.22:
                out.append(f"{ind}try:")
                body(ind + "    ", r.randint(1, 3), depth + 1)
                out.append(f"{ind}except {i.pascal(1, 2)}Error as {r.choice(('exc', 'err', 'e'))}:")
                out.append(f"{ind}    log.warning({repr(i.text() + ': %s')}, {i.snake(1, 1)})")
            elif k < 0.5:
                out.append(f"{ind}{i.snake(1, 2)} = {expr()}")
            elif k < 0.65:
                out.append(f"{ind}{i.snake(1, 2)}.{i.fn_snake()}({i.snake(1, 2)}={expr()})")
            elif k < 0.78:
                out.append(f"{ind}log.info({repr(i.text() + ' %s')}, {i.snake(1, 2)})")
            else:
                out.append(f"{ind}# {i.comment()}")

    while len(out) < target:
        if r.random() < 0.35:
            out.append(f"class {i.pascal(1, 2)}{r.choice(('Service', 'Repository', 'Client', 'Job'))}({r.choice(('Base', 'object', i.pascal(1, 1)))}):")
            out.append(f'    """{cap(i.comment())}."""')
            out.append("")
            for _ in range(r.randint(1, 3)):
                out.append(f"    {r.choice(('async def', 'def'))} {i.fn_snake()}(self, {i.snake(1, 2)}: {r.choice(('str', 'int', 'float', i.pascal(1, 2)))}) -> {r.choice(('None', 'bool', i.pascal(1, 2)))}:")
                body("        ", fit(r, 3, 9, target - len(out) - 3), 0)
                out.append(f"        return {expr()}")
                out.append("")
        else:
            out.append(f"{r.choice(('async def', 'def'))} {i.fn_snake()}({', '.join(i.snake(1, 2) for _ in range(r.randint(0, 3)))}):")
            if r.random() < 0.5:
                out.append(f'    """{cap(i.comment())}."""')
            body("    ", fit(r, 3, 10, target - len(out) - 2), 0)
            out.append(f"    return {expr()}")
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return out


def gen_ruby(rng, target):
    i, r = Ids(rng), rng
    out = []
    if r.random() < 0.5:
        out.append(f"require \"{i.snake(1, 2)}\"")
        out.append("")
    out.append(f"module {i.pascal(1, 2)}")
    out.append(f"  class {i.pascal(1, 2)}{r.choice(('Service', 'Job', 'Worker', 'Client'))}")

    def body(ind, n, depth):
        for _ in range(n):
            k = r.random()
            if depth < 2 and k < 0.08:
                out.append(f"{ind}{r.choice(('if', 'unless'))} {i.snake(1, 2)}.{r.choice(('empty?', 'nil?', 'any?'))}")
                body(ind + "  ", r.randint(2, 4), depth + 1)
                out.append(f"{ind}end")
            elif depth < 2 and k < 0.13:
                out.append(f"{ind}{i.snake(1, 2)}.each do |{i.snake(1, 1)}|")
                body(ind + "  ", r.randint(2, 4), depth + 1)
                out.append(f"{ind}end")
            elif k < 0.5:
                out.append(f"{ind}{i.snake(1, 2)} = {i.snake(1, 2)}.{i.fn_snake()}({i.snake(1, 1)}: {i.num()})")
            elif k < 0.65:
                out.append(f"{ind}@{i.snake(1, 2)} ||= {repr(i.text()).replace(chr(39), chr(34))}")
            elif k < 0.8:
                out.append(f"{ind}Rails.logger.info(\"{i.text()}: #{{{i.snake(1, 2)}}}\")")
            else:
                out.append(f"{ind}# {i.comment()}")

    while len(out) < target:
        out.append(f"    def {i.fn_snake()}({', '.join(i.snake(1, 2) for _ in range(r.randint(0, 3)))})")
        body("      ", fit(r, 5, 12, target - len(out) - 4), 0)
        out.append("    end")
        out.append("")
    if out[-1] == "":
        out.pop()
    out.append("  end")
    out.append("end")
    return out


def gen_yaml(rng, target):
    i, r = Ids(rng), rng
    out = []
    kind = r.random()
    if kind < 0.12:
        name = i.kebab(2, 3)
        while len(out) < target:
            if out:
                out.append("---")
            out += [
                "apiVersion: apps/v1",
                f"kind: {r.choice(('Deployment', 'StatefulSet'))}",
                "metadata:",
                f"  name: {name}-{i.kebab(1, 1)}",
                "  labels:",
                f"    app.kubernetes.io/name: {i.kebab(1, 2)}",
                f"    {ORG}.example/team: {i.kebab(1, 2)}",
                "spec:",
                f"  replicas: {r.randint(2, 40)}",
                "  template:",
                "    spec:",
                "      containers:",
                f"        - name: {i.kebab(1, 2)}",
                f"          image: registry.{ORG}.example/{i.kebab(1, 2)}:{r.randint(1, 9)}.{r.randint(0, 40)}.{r.randint(0, 200)}",
                "          env:",
            ]
            for _ in range(fit(r, 3, 12, (target - len(out) - 4) // 2)):
                out.append(f"            - name: {i.snake(1, 2).upper()}")
                out.append(f"              value: {q(r.choice((i.num(), i.kebab(1, 2), i.text())))}")
            out += [
                "          resources:",
                "            limits:",
                f"              cpu: {r.randint(100, 4000)}m",
                f"              memory: {r.randint(64, 8192)}Mi",
            ]
    else:
        out.append(f"# {i.comment()}")
        def mapping(ind, depth):
            for _ in range(r.randint(2, 6)):
                if len(out) >= target:
                    return
                k = r.random()
                key = i.snake(1, 2)
                if depth < 4 and k < 0.3:
                    out.append(f"{ind}{key}:")
                    mapping(ind + "  ", depth + 1)
                elif k < 0.45:
                    out.append(f"{ind}{key}:")
                    for _ in range(r.randint(2, 5)):
                        out.append(f"{ind}  - {r.choice((i.kebab(2, 3), i.num(), q(i.text())))}")
                elif k < 0.55:
                    out.append(f"{ind}# {i.comment()}")
                else:
                    out.append(f"{ind}{key}: {r.choice((i.num(), i.kebab(1, 2), q(i.text()), 'true', 'false', str(r.randint(1, 600)) + 's'))}")
        while len(out) < target:
            out.append(f"{i.snake(1, 2)}:")
            mapping("  ", 1)
    return out


def gen_json(rng, target):
    i, r = Ids(rng), rng
    out = ["{"]

    def obj(ind, depth):
        n = r.randint(2, 7)
        for j in range(n):
            last = j == n - 1 or len(out) >= target
            comma = "" if last else ","
            key = i.camel(2, 3)
            k = r.random()
            if depth < 4 and k < 0.12:
                out.append(f'{ind}"{key}": {{')
                obj(ind + "  ", depth + 1)
                out.append(f"{ind}}}{comma}")
            elif depth < 4 and k < 0.3:
                items = [q(i.kebab(1, 2)) if r.random() < 0.5 else i.num() for _ in range(r.randint(1, 4))]
                out.append(f'{ind}"{key}": [{", ".join(items)}]{comma}')
            else:
                v = r.choice((i.num(), q(i.text()), "true", "false", "null", q(i.kebab(1, 2)), i.num() + "." + str(r.randint(0, 99))))
                out.append(f'{ind}"{key}": {v}{comma}')
            if last:
                return

    while len(out) < target:
        key = i.camel(1, 2)
        out.append(f'  "{key}": {{')
        obj("    ", 1)
        out.append("  },")
    out[-1] = out[-1].rstrip(",")
    out.append("}")
    return out


def gen_bash(rng, target):
    i, r = Ids(rng), rng
    out = []
    if target >= 30 and r.random() < 0.5:
        out += ["#!/usr/bin/env bash", "set -euo pipefail", ""]
    cmds = (
        lambda: f"kubectl -n {i.kebab(1, 2)} rollout restart deployment/{i.kebab(1, 2)}",
        lambda: f"kubectl -n {i.kebab(1, 2)} scale deployment/{i.kebab(1, 2)} --replicas={r.randint(1, 60)}",
        lambda: f"curl -fsS -X {r.choice(('GET', 'POST', 'DELETE'))} \"https://{i.kebab(1, 2)}.{ORG}.example{i.path()}?limit={r.randint(1, 500)}\"",
        lambda: f"psql \"$DATABASE_URL\" -c \"select count(*) from {i.snake(1, 2)} where {i.snake(1, 1)} > {i.num()}\"",
        lambda: f"{i.snake(1, 2).upper()}=\"{i.kebab(1, 2)}\"",
        lambda: f"aws s3 cp s3://{i.kebab(2, 3)}/{i.kebab(1, 2)}/{r.randint(2020, 2026)}-{r.randint(1, 12):02d}.tar.gz ./{i.kebab(1, 1)}/",
        lambda: f"echo \"{i.text()}: ${{{i.snake(1, 2).upper()}}}\"",
        lambda: f"helm upgrade --install {i.kebab(1, 2)} charts/{i.kebab(1, 2)} --set image.tag={r.randint(1, 9)}.{r.randint(0, 99)}.{r.randint(0, 999)}",
        lambda: f"# {i.comment()}",
        lambda: f"jq '.{i.camel(1, 2)}[] | select(.{i.camel(1, 1)} > {i.num()})' {i.kebab(1, 2)}.json",
    )

    def body(ind, n, depth):
        for _ in range(n):
            k = r.random()
            if depth < 2 and k < 0.12:
                out.append(f"{ind}if [[ -n \"${{{i.snake(1, 2).upper()}:-}}\" ]]; then")
                body(ind + "  ", r.randint(1, 4), depth + 1)
                out.append(f"{ind}fi")
            elif depth < 2 and k < 0.2:
                out.append(f"{ind}for {i.snake(1, 1)} in {' '.join(i.kebab(1, 2) for _ in range(r.randint(2, 4)))}; do")
                body(ind + "  ", r.randint(1, 4), depth + 1)
                out.append(f"{ind}done")
            else:
                out.append(ind + r.choice(cmds)())

    while len(out) < target:
        if r.random() < 0.4:
            out.append(f"{i.fn_snake()}() {{")
            body("  ", fit(r, 3, 8, target - len(out) - 2), 0)
            out.append("}")
            out.append("")
        else:
            body("", fit(r, 3, 8, target - len(out)), 0)
    while out and out[-1] == "":
        out.pop()
    return out


def gen_sql(rng, target):
    i, r = Ids(rng), rng
    out = []
    while len(out) < target:
        k = r.random()
        if k < 0.35:
            t = i.snake(1, 2)
            out.append(f"CREATE TABLE {t} (")
            cols = [f"    {t}_id {r.choice(('BIGSERIAL', 'UUID'))} PRIMARY KEY"]
            for _ in range(fit(r, 3, 12, target - len(out) - 4)):
                cols.append(f"    {i.snake(1, 2)} {r.choice(('TEXT', 'INTEGER', 'BIGINT', 'TIMESTAMPTZ', 'NUMERIC(' + str(r.randint(8, 20)) + ', ' + str(r.randint(0, 6)) + ')', 'BOOLEAN', 'JSONB', 'VARCHAR(' + str(r.randint(8, 512)) + ')'))}{r.choice(('', ' NOT NULL', ' NOT NULL DEFAULT ' + i.num()))}")
            out.append(",\n".join(cols))
            out[-1:] = out[-1].split("\n")
            out.append(");")
            out.append(f"CREATE INDEX {t}_{i.snake(1, 1)}_idx ON {t} ({i.snake(1, 2)});")
        elif k < 0.75:
            a, b = i.snake(1, 2), i.snake(1, 2)
            out.append(f"-- {i.comment()}")
            out.append(f"SELECT {r.choice(('a', 'b'))}.{i.snake(1, 2)},")
            for j in range(r.randint(1, 7)):
                out.append(f"    {r.choice(('a', 'b'))}.{i.snake(1, 2)}{r.choice(('', ' AS ' + i.snake(1, 2)))},")
            out.append(f"    count(*) AS {i.snake(1, 2)}_count")
            out.append(f"FROM {a} AS a")
            out.append(f"JOIN {b} AS b ON b.{i.snake(1, 1)}_id = a.id")
            out.append(f"WHERE a.{i.snake(1, 2)} > {i.num()}")
            out.append(f"  AND b.{i.snake(1, 1)} = '{i.kebab(1, 2)}'")
            out.append(f"GROUP BY a.{i.snake(1, 2)}{', b.' + i.snake(1, 1) if r.random() < 0.5 else ''}")
            out.append(f"ORDER BY {i.snake(1, 2)}_count DESC")
            out.append(f"LIMIT {r.randint(10, 5000)};")
        else:
            t = i.snake(1, 2)
            out.append(f"UPDATE {t}")
            out.append(f"   SET {i.snake(1, 2)} = '{i.kebab(1, 2)}', {i.snake(1, 2)} = now()")
            out.append(f" WHERE {i.snake(1, 2)} < now() - interval '{r.randint(1, 400)} days';")
        out.append("")
    if out[-1] == "":
        out.pop()
    return out


def gen_hcl(rng, target):
    i, r = Ids(rng), rng
    out = []
    while len(out) < target:
        k = r.random()
        if k < 0.5:
            rtype = r.choice(("aws_s3_bucket", "aws_sqs_queue", "aws_db_instance", "google_storage_bucket",
                              "kubernetes_namespace", "aws_iam_role", "aws_lambda_function", "aws_dynamodb_table"))
            out.append(f'resource "{rtype}" "{i.snake(1, 2)}" {{')
            for _ in range(fit(r, 3, 10, target - len(out) - 6)):
                kk = r.random()
                if kk < 0.2:
                    out.append(f"  {i.snake(1, 2)} {{")
                    for _ in range(r.randint(1, 4)):
                        out.append(f"    {i.snake(1, 2)} = {r.choice((i.num(), q(i.kebab(1, 2)), 'true', 'var.' + i.snake(1, 2)))}")
                    out.append("  }")
                elif kk < 0.35:
                    out.append(f"  # {i.comment()}")
                else:
                    out.append(f"  {i.snake(1, 2)} = {r.choice((i.num(), q(i.kebab(1, 2)), 'var.' + i.snake(1, 2), 'local.' + i.snake(1, 2), q(i.kebab(1, 2) + '-${var.' + i.snake(1, 1) + '}')))}")
            if r.random() < 0.35:
                out.append(f"  tags = merge(local.{i.snake(1, 2)}, {{")
                out.append(f"    team = {q(i.kebab(1, 2))}")
                out.append(f"    cost_center = {q(str(r.randint(1000, 9999)))}")
                out.append("  })")
            out.append("}")
        elif k < 0.8:
            out.append(f'variable "{i.snake(1, 2)}" {{')
            if r.random() < 0.4:
                out.append(f"  type        = {r.choice(('string', 'number', 'bool', 'list(string)', 'map(string)'))}")
            out.append(f"  description = {q(cap(i.comment()))}")
            out.append(f"  default     = {r.choice((i.num(), q(i.kebab(1, 2))))}")
            out.append("}")
        else:
            out.append(f'module "{i.snake(1, 2)}" {{')
            out.append(f'  source  = "git::https://github.com/{ORG}/{i.kebab(1, 2)}.git?ref=v{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 99)}"')
            for _ in range(r.randint(2, 6)):
                out.append(f"  {i.snake(1, 2)} = {r.choice((i.num(), q(i.kebab(1, 2)), 'module.' + i.snake(1, 1) + '.' + i.snake(1, 1)))}")
            out.append("}")
        out.append("")
    out.pop()
    return out


def gen_dockerfile(rng, target):
    i, r = Ids(rng), rng
    out = []
    while len(out) < target:
        base = r.choice(("golang", "python", "node", "eclipse-temurin", "rust", "ruby", "mcr.microsoft.com/dotnet/sdk"))
        stage = i.kebab(1, 1)
        out.append(f"FROM {base}:{r.randint(1, 22)}.{r.randint(0, 12)}-{r.choice(('slim', 'alpine', 'bookworm'))} AS {stage}")
        out.append(f"WORKDIR /{i.kebab(1, 2)}")
        for _ in range(fit(r, 4, 14, target - len(out) - 5)):
            k = r.random()
            if k < 0.25:
                out.append(f"COPY {i.kebab(1, 2)}/ ./{i.kebab(1, 2)}/")
            elif k < 0.5:
                out.append(f"RUN {r.choice(('apt-get install -y --no-install-recommends', 'pip install --no-cache-dir', 'npm ci --omit=dev', 'go build -o /out/' + i.kebab(1, 1)))} {' '.join(i.kebab(1, 2) for _ in range(r.randint(1, 3)))} \\")
                out.append(f"    && rm -rf /tmp/{i.kebab(1, 2)}")
            elif k < 0.7:
                out.append(f"ENV {i.snake(1, 2).upper()}={r.choice((i.num(), i.kebab(1, 2)))}")
            elif k < 0.8:
                out.append(f"ARG {i.snake(1, 2).upper()}={i.num()}")
            elif k < 0.9:
                out.append(f"# {i.comment()}")
            else:
                out.append(f"LABEL org.opencontainers.image.{r.choice(('source', 'title', 'vendor'))}=\"{i.kebab(1, 2)}\"")
        out.append(f"EXPOSE {r.randint(1024, 65000)}")
        out.append(f"USER {r.randint(1000, 65000)}:{r.randint(1000, 65000)}")
        out.append(f"ENTRYPOINT [\"/usr/local/bin/{i.kebab(1, 2)}\", \"--{i.kebab(1, 2)}\", \"{i.num()}\"]")
        out.append("")
    out.pop()
    return out


def fit(r, lo, hi, budget):
    """A random count in lo..hi, smaller when few lines of the block's budget are left."""
    return max(1, min(r.randint(lo, hi), budget // 2 + 1))


def clike(lang):
    return lambda rng, target: CLike(rng, lang).generate(target)


# (fence language, tab label, file extension, generator)
LANGS = (
    ("python", "Python", "py", gen_python),
    ("go", "Go", "go", clike("go")),
    ("java", "Java", "java", clike("java")),
    ("typescript", "TypeScript", "ts", clike("typescript")),
    ("javascript", "JavaScript", "js", clike("javascript")),
    ("rust", "Rust", "rs", clike("rust")),
    ("kotlin", "Kotlin", "kt", clike("kotlin")),
    ("csharp", "C#", "cs", clike("csharp")),
    ("ruby", "Ruby", "rb", gen_ruby),
    ("yaml", "YAML", "yaml", gen_yaml),
    ("json", "JSON", "json", gen_json),
    ("bash", "Bash", "sh", gen_bash),
    ("sql", "SQL", "sql", gen_sql),
    ("hcl", "Terraform", "tf", gen_hcl),
    ("dockerfile", "Dockerfile", "Dockerfile", gen_dockerfile),
)
REPO_LANGS = ("python", "go", "java", "typescript", "rust", "kotlin", "csharp", "ruby", "javascript")
LANG_INDEX = {l[0]: n for n, l in enumerate(LANGS)}


# ---------------------------------------------------------------------------------------------
# Catalog plan

class Repo:
    def __init__(self, name):
        self.name = name
        self.title = humanise(name)
        self.api = None
        self.resource = None
        self.depends = []
        self.consumes = []
        self.pages = []
        self.nav = []


def plan_catalog(seed, nrepos):
    r = random.Random(f"{seed}:catalog")
    names = set()

    def unique(base):
        n, name = 2, base
        while name in names:
            name = f"{base}-{n}"
            n += 1
        names.add(name)
        return name

    org = {"root": unique(ORG), "departments": [], "teams": [], "users": [], "domains": [], "systems": []}
    nteams = max(1, nrepos // 8)
    ndept = max(1, int(nteams ** 0.5))
    depts = [unique(a) for a in r.sample(AREAS, min(ndept, len(AREAS)))]
    while len(depts) < ndept:
        depts.append(unique("department"))
    org["departments"] = depts
    user_names = set()
    for t in range(nteams):
        d = depts[t % ndept]
        team = {"name": unique(f"{d}-{r.choice(NOUNS)}s"), "dept": d, "members": []}
        for _ in range(r.randint(2, 5)):
            base = f"{r.choice(PERSON_FIRST)}.{r.choice(PERSON_LAST)}"
            u, n = base, 2
            while u in user_names:
                u = f"{base}{n}"
                n += 1
            user_names.add(u)
            team["members"].append(u)
        org["teams"].append(team)
    ndomains = max(1, nrepos // 60)
    nsystems = max(1, nrepos // 20)
    for dn in range(ndomains):
        org["domains"].append({"name": unique(f"{r.choice(AREAS)}-domain"), "owner": depts[dn % ndept]})
    for s in range(nsystems):
        org["systems"].append({"name": unique(f"{r.choice(AREAS)}-{r.choice(NOUNS)}-system"),
                               "owner": r.choice(org["teams"])["name"],
                               "domain": org["domains"][s % ndomains]["name"]})
    names.add(ORG_REPO)
    repos = []
    for n in range(nrepos - 1):
        suffix, kind = r.choice(COMP_SUFFIX)
        base = f"{r.choice(AREAS)}-{suffix}" if r.random() < 0.4 else f"{r.choice(AREAS)}-{r.choice(QUALIFIERS)}-{suffix}"
        rp = Repo(unique(base))
        rp.kind = kind
        rp.team = org["teams"][n % nteams]["name"]
        rp.system = r.choice(org["systems"])["name"]
        rp.lifecycle = r.choice(("production", "production", "production", "experimental", "deprecated"))
        rp.language = r.choice(REPO_LANGS)
        rp.tags = sorted({rp.language} | {t for t, _ in r.sample(TECH, r.randint(1, 3))})
        rp.techs = [d for t, d in TECH if t in rp.tags] or ["Kubernetes"]
        rp.description = f"{rp.title} {r.choice(VERBS)} {r.choice(NOUNS)}s for the {humanise(rp.system)}."
        roll = r.random()
        if roll < 0.40:
            rp.api = unique(f"{rp.name}-rest")
        if 0.30 <= roll < 0.55:
            rp.resource = (unique(f"{rp.name}-{r.choice(('db', 'cache', 'bucket', 'topic'))}"),
                           r.choice(("database", "cache", "s3-bucket", "kafka-topic")))
        repos.append(rp)
    apis = [rp.api for rp in repos if rp.api]
    for rp in repos:
        others = [o for o in r.sample(repos, min(len(repos), 4)) if o is not rp]
        rp.depends = sorted({f"component:{o.name}" for o in others[: r.randint(0, 3)]}
                            | ({f"resource:{rp.resource[0]}"} if rp.resource else set()))
        rp.consumes = sorted({a for a in r.sample(apis, min(len(apis), r.randint(0, 3))) if a != rp.api})
    return org, repos


def api_definition(rng, rp):
    i = Ids(rng)
    out = ["openapi: 3.0.3", "info:", f"  title: {rp.title} API", f"  version: {rng.randint(1, 4)}.{rng.randint(0, 20)}.0",
           "paths:"]
    for _ in range(rng.randint(2, 4)):
        res = i.kebab(1, 2)
        out += [f"  /v1/{res}s/{{id}}:", "    get:", f"      operationId: get{i.pascal(1, 2)}",
                "      parameters:", "        - name: id", "          in: path", "          required: true",
                "          schema:", "            type: string", "      responses:", '        "200":',
                f"          description: The {res.replace('-', ' ')}."]
    return out


def catalog_yaml(rng, org, rp, documented):
    out = [f"# Catalog entities of {rp.name}. Generated by tests/bench/gen-long.py.",
           "apiVersion: backstage.io/v1alpha1", "kind: Component", "metadata:", f"  name: {rp.name}",
           f"  title: {rp.title}", f"  description: {q(rp.description)}", "  annotations:",
           f"    github.com/project-slug: {q(ORG + '/' + rp.name)}"]
    if documented:
        out.append('    backstage.io/techdocs-ref: "dir:."')
    out.append("  tags:")
    out += [f"    - {t}" for t in rp.tags]
    out += ["spec:", f"  type: {rp.kind}", f"  lifecycle: {rp.lifecycle}", f"  owner: {rp.team}", f"  system: {rp.system}"]
    if rp.api:
        out += ["  providesApis:", f"    - {rp.api}"]
    if rp.consumes:
        out.append("  consumesApis:")
        out += [f"    - {a}" for a in rp.consumes]
    if rp.depends:
        out.append("  dependsOn:")
        out += [f"    - {d}" for d in rp.depends]
    if rp.api:
        out += ["---", "apiVersion: backstage.io/v1alpha1", "kind: API", "metadata:", f"  name: {rp.api}",
                f"  description: {q('REST API of ' + rp.title + '.')}", "spec:", "  type: openapi",
                f"  lifecycle: {rp.lifecycle}", f"  owner: {rp.team}", f"  system: {rp.system}", "  definition: |"]
        out += ["    " + ln for ln in api_definition(rng, rp)]
    if rp.resource:
        name, kind = rp.resource
        out += ["---", "apiVersion: backstage.io/v1alpha1", "kind: Resource", "metadata:", f"  name: {name}",
                f"  description: {q(cap(kind.replace('-', ' ')) + ' used by ' + rp.title + '.')}", "spec:",
                f"  type: {kind}", f"  owner: {rp.team}", f"  system: {rp.system}"]
    return "\n".join(out) + "\n"


def org_files(org):
    files = []
    cat = ["# Organisation: groups and users, domains and systems. Generated by tests/bench/gen-long.py.",
           "apiVersion: backstage.io/v1alpha1", "kind: Location", "metadata:", "  name: org-chart", "spec:",
           "  targets:", "    - ./groups/*.yaml", "    - ./users/*.yaml"]
    for d in org["domains"]:
        cat += ["---", "apiVersion: backstage.io/v1alpha1", "kind: Domain", "metadata:", f"  name: {d['name']}",
                f"  description: {q('Everything about ' + humanise(d['name']).lower() + '.')}", "spec:", f"  owner: {d['owner']}"]
    for s in org["systems"]:
        cat += ["---", "apiVersion: backstage.io/v1alpha1", "kind: System", "metadata:", f"  name: {s['name']}",
                f"  description: {q('The ' + humanise(s['name']) + '.')}", "spec:", f"  owner: {s['owner']}",
                f"  domain: {s['domain']}"]
    files.append(("catalog-info.yaml", "\n".join(cat) + "\n"))

    def group(name, gtype, parent, children, members):
        g = ["apiVersion: backstage.io/v1alpha1", "kind: Group", "metadata:", f"  name: {name}", "spec:",
             f"  type: {gtype}", "  profile:", f"    displayName: {humanise(name)}", f"    email: {q(name + '@' + ORG + '.example')}"]
        if parent:
            g.append(f"  parent: {parent}")
        g.append("  children: []" if not children else "  children:")
        g += [f"    - {c}" for c in children]
        if members:
            g.append("  members:")
            g += [f"    - {m}" for m in members]
        return "\n".join(g) + "\n"

    files.append((f"groups/{org['root']}.yaml", group(org["root"], "organization", None, org["departments"], [])))
    for d in org["departments"]:
        kids = [t["name"] for t in org["teams"] if t["dept"] == d]
        files.append((f"groups/{d}.yaml", group(d, "department", org["root"], kids, [])))
    for t in org["teams"]:
        files.append((f"groups/{t['name']}.yaml", group(t["name"], "team", t["dept"], [], t["members"])))
        users = []
        for u in t["members"]:
            first, last = u.split(".", 1)
            if users:
                users.append("---")
            users += ["apiVersion: backstage.io/v1alpha1", "kind: User", "metadata:", f"  name: {u}", "spec:",
                      "  profile:", f"    displayName: {cap(first)} {cap(last.rstrip('0123456789'))}",
                      f"    email: {q(u + '@' + ORG + '.example')}", "  memberOf:", f"    - {t['name']}"]
        files.append((f"users/{t['name']}.yaml", "\n".join(users) + "\n"))
    return files


# ---------------------------------------------------------------------------------------------
# Docs plan: pages, nav and headings (planned first so that links and anchors always resolve)

class Page:
    __slots__ = ("path", "title", "words", "headings", "ncode", "repo")


def page_words(r, median):
    """Target words of a page, prose and code together: about 2% are 8,000-15,000 words, the
    rest log-normal around `median`, kept within 300-5,000."""
    if r.random() < 0.02:
        return r.randint(8000, 15000)
    w = int(median * (2.718281828 ** r.gauss(0, 0.45)))
    return max(300, min(5000, w))


def fill(r, template, rp, extra=None):
    """Fills {slot}s in a prose template; returns the text."""
    c = r.choice
    vals = {
        "noun": c(NOUNS), "noun2": c(NOUNS), "noun3": c(NOUNS), "adj": c(ADJS), "adj2": c(ADJS),
        "verb": c(VERBS), "verb_base": c(VERBS_BASE), "adv": c(ADVS), "metric": c(METRICS),
        "num": str(r.randint(20, 5000)), "k": str(r.randint(2, 12)), "k2": str(r.randint(0, 20)),
        "env": c(ENVS), "Tech": c(rp.techs), "Tech2": c(TECH)[1], "team": rp.team, "repo": rp.name,
        "ident": c((f"{c(NOUNS)}.{c(ADJS)}_{c(NOUNS)}", f"{c(VERBS_BASE)}_{c(NOUNS)}", f"{c(NOUNS)}-{c(ADJS)}")),
        "value": c((str(r.randint(1, 600)) + "s", "true", "false", str(r.randint(1, 100000)), c(ADJS))),
    }
    vals["Verb_base"] = cap(vals["verb_base"])
    vals["Noun"] = cap(vals["noun"])
    vals["Adj"] = cap(vals["adj"])
    return fix_articles(template.format_map(vals))


def plan_docs(seed, repos, total, median):
    r = random.Random(f"{seed}:docs-plan")
    n = len(repos)
    counts = [0] * n
    if total >= n:
        weights = [r.uniform(0.3, 1.7) for _ in range(n)]
        rest = total - n
        s = sum(weights)
        exact = [w * rest / s for w in weights]
        counts = [1 + int(e) for e in exact]
        left = total - sum(counts)
        order = sorted(range(n), key=lambda j: (-(exact[j] - int(exact[j])), j))
        for j in order[:left]:
            counts[j] += 1
    else:
        for j in sorted(r.sample(range(n), total)):
            counts[j] = 1
    for idx, (rp, count) in enumerate(zip(repos, counts)):
        if count == 0:
            continue
        pr = random.Random(f"{seed}:outline:{idx}")
        paths = ["index.md"]
        nav = []  # list of (title, path) or (title, [children])
        used = set()

        def new_slug():
            for _ in range(8):
                s = pr.choice(PAGE_TOPICS)
                if s not in used:
                    used.add(s)
                    return s
            k = 2
            base = pr.choice(PAGE_TOPICS)
            while f"{base}-{k}" in used:
                k += 1
            used.add(f"{base}-{k}")
            return f"{base}-{k}"

        rest = count - 1
        top = min(rest, pr.randint(1, 3))
        for _ in range(top):
            paths.append(new_slug() + ".md")
        nav.append(("Home", "index.md"))
        nav += [(humanise(p[:-3]), p) for p in paths[1:]]
        rest -= top
        sections = pr.sample(SECTION_NAMES, min(len(SECTION_NAMES), max(1, min(5, rest // 4 + 1)))) if rest else []
        per = [rest // len(sections) + (1 if j < rest % len(sections) else 0) for j in range(len(sections))] if sections else []
        for sec, m in zip(sections, per):
            children = []
            sub_n = m // 3 if m >= 6 and pr.random() < 0.6 else 0
            for _ in range(m - sub_n):
                p = f"{sec}/{new_slug()}.md"
                paths.append(p)
                children.append((humanise(posixpath.basename(p)[:-3]), p))
            if sub_n:
                sub = pr.choice(("advanced", "internals", "recipes", "reference", "history"))
                grand = []
                for _ in range(sub_n):
                    p = f"{sec}/{sub}/{new_slug()}.md"
                    paths.append(p)
                    grand.append((humanise(posixpath.basename(p)[:-3]), p))
                children.append((humanise(sub), grand))
            nav.append((humanise(sec), children))
        rp.nav = nav
        for p in paths:
            pg = Page()
            pg.path = p
            pg.repo = rp
            pg.title = rp.title if p == "index.md" else humanise(posixpath.basename(p)[:-3])
            pg.words = page_words(pr, median)
            pg.ncode = 3 + int(8 * pr.random() ** 1.6)  # 3-10, mean about 6
            slugs = {slugify(pg.title)}
            heads = []
            nheads = max(3, min(80, pg.words // 230))
            prev = 1
            for _ in range(nheads):
                k = pr.random()
                lv = 4 if prev >= 3 and k < 0.12 else 3 if prev >= 2 and k < 0.45 else 2
                prev = lv
                if True:
                    text = fill(pr, pr.choice(H_TEMPLATES), rp)
                    if slugify(text) in slugs:
                        text = f"{text} ({len(heads) + 2})"
                    slugs.add(slugify(text))
                    heads.append((lv, text, slugify(text)))
            pg.headings = heads
            rp.pages.append(pg)


def mkdocs_yml(rp):
    out = [f"site_name: {q(rp.title)}", f"site_description: {q(rp.description)}",
           f"repo_url: https://github.com/{ORG}/{rp.name}", "edit_uri: edit/main/docs/", "", "nav:"]

    def emit(items, ind):
        for title, target in items:
            if isinstance(target, list):
                out.append(f"{ind}- {q(title)}:")
                emit(target, ind + "    ")
            else:
                out.append(f"{ind}- {q(title)}: {target}")

    emit(rp.nav, "  ")
    out += ["", "plugins:", "  - techdocs-core", "", "markdown_extensions:", "  - admonition",
            "  - footnotes", "  - pymdownx.details", "  - pymdownx.superfences", "  - pymdownx.tabbed",
            "  - pymdownx.highlight"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Page writer

class Stats:
    def __init__(self):
        self.pages = 0
        self.md_bytes = 0
        self.code_blocks = 0
        self.code_lines = 0
        self.line_counts = {}
        self.words = []
        self.prose_words = []

    def add_code(self, lines):
        self.code_blocks += 1
        self.code_lines += len(lines)
        lc = self.line_counts
        for ln in lines:
            if ln.strip():
                h = hash(ln)
                lc[h] = lc.get(h, 0) + 1

    def repeated_share(self):
        total = rep = 0
        for c in self.line_counts.values():
            total += c
            if c > 1:
                rep += c
        return rep / total if total else 0.0


def indent(text, by="    "):
    return "\n".join(by + ln if ln else "" for ln in text.split("\n"))


class Writer:
    def __init__(self, r, page, repos_docs, stats):
        self.r = r
        self.pg = page
        self.rp = page.repo
        self.others = repos_docs
        self.stats = stats
        self.blocks = []
        self.words = 0
        self.footnotes = []
        self.code_left = page.ncode
        self.after_list = False
        self.code_words = 0

    def prose(self, template):
        return fill(self.r, template, self.rp)

    def push(self, text, words=True, is_list=False):
        if words:
            self.words += text.count(" ") + 1
        self.blocks.append(text)
        self.after_list = is_list

    def link(self):
        r, pg, rp = self.r, self.pg, self.rp
        k = r.random()
        if k < 0.55 and len(rp.pages) > 1:
            t = r.choice(rp.pages)
            if t is pg:
                t = rp.pages[(rp.pages.index(t) + 1) % len(rp.pages)]
            href = rel_link(pg.path, t.path)
            if t.headings and r.random() < 0.6:
                h = r.choice(t.headings)
                return r.choice(("See [{}]({}) for the details.", "The steps are in [{}]({}).",
                                 "Related: [{}]({}).")).format(h[1], f"{href}#{h[2]}")
            return r.choice(("See [{}]({}).", "This builds on [{}]({}).")).format(t.title, href)
        if k < 0.75 and pg.headings:
            h = r.choice(pg.headings)
            return f"More on that under [{h[1]}](#{h[2]})."
        o = r.choice(self.others)
        if o is rp:
            return None
        t = r.choice(o.pages)
        url = portal_url(o.name, t.path)
        if t.headings and r.random() < 0.4:
            h = r.choice(t.headings)
            url += "#" + h[2]
        return f"The [{o.title}: {t.title}]({url}) docs describe the {r.choice(NOUNS)} on their side."

    def paragraph(self, lo=3, hi=8):
        r = self.r
        s = [cap(self.prose(r.choice(SENTENCES))) for _ in range(r.randint(lo, hi))]
        if r.random() < 0.35:
            ident = r.choice((f"{r.choice(VERBS_BASE)}_{r.choice(NOUNS)}()", f"{r.choice(NOUNS)}.{r.choice(ADJS)}",
                              f"--{r.choice(ADJS)}-{r.choice(NOUNS)}", f"{r.choice(NOUNS).upper()}_{r.choice(ADJS).upper()}"))
            form = r.choice(("The `{}` setting controls this.", "Call `{}` to check it by hand.",
                             "Grep the logs for `{}` when it goes wrong.", "`{}` is the one to watch here."))
            s.insert(r.randrange(1, len(s) + 1), form.format(ident))
        if r.random() < 0.15 and len(self.footnotes) < 6:
            self.footnotes.append(self.prose(r.choice(FOOTNOTES)))
            s[-1] += f"[^{len(self.footnotes)}]"
        if r.random() < 0.3:
            ln = self.link()
            if ln:
                s.append(ln)
        self.push(" ".join(s))

    def code_lines(self, lang_i, n):
        lang, label, ext, gen = LANGS[lang_i]
        lines = gen(self.r, n + 1)
        if len(lines) > n + 3:
            # an excerpt: generators finish a unit (function, resource) and can overshoot
            lines = lines[: n + 3]
        while lines and not lines[-1].strip():
            lines.pop()
        self.stats.add_code(lines)
        cw = sum(len(ln.split()) for ln in lines)
        self.words += cw
        self.code_words += cw
        return lines

    def pick_lang(self):
        r = self.r
        if r.random() < 0.35:
            return LANG_INDEX[self.rp.language]
        return r.randrange(len(LANGS))

    def block_len(self):
        r = self.r
        if r.random() < 0.004:
            return r.randint(300, 400)
        return int(10 + 110 * r.random() ** 12)

    def fence(self, lang_i, n=None, attrs=True):
        r = self.r
        lang, label, ext, gen = LANGS[lang_i]
        lines = self.code_lines(lang_i, n or self.block_len())
        head = "```" + lang
        if attrs:
            k = r.random()
            if k < 0.3:
                fname = "Dockerfile" if ext == "Dockerfile" else f"{r.choice(NOUNS)}_{r.choice(NOUNS)}.{ext}"
                head += f' title="{r.choice(NOUNS)}/{fname}"'
            if r.random() < 0.2:
                head += ' linenums="1"'
            if r.random() < 0.15 and len(lines) > 4:
                a = r.randint(1, len(lines) - 2)
                head += f' hl_lines="{a} {a + 1}"' if r.random() < 0.5 else f' hl_lines="{a}-{min(len(lines), a + 3)}"'
        self.code_left -= 1
        return head + "\n" + "\n".join(lines) + "\n```"

    def code_block(self):
        r = self.r
        if r.random() < 0.4:
            self.push(self.prose(r.choice(("The {noun} {verb} {noun2}s like this:",
                                           "A {adj} {noun} looks like this in practice:",
                                           "For example, to {verb_base} the {noun}:"))))
        self.push(self.fence(self.pick_lang()), words=False)

    def tabs(self, n):
        r = self.r
        langs = r.sample(range(len(LANGS)), n)
        parts = []
        for li in langs:
            parts.append(f'=== "{LANGS[li][1]}"\n\n' + indent(self.fence(li, int(10 + 40 * r.random() ** 4), attrs=r.random() < 0.3)))
        self.push("\n\n".join(parts), words=False)

    def admonition(self, collapsible=False, code=False):
        r = self.r
        marker, kind = r.choice(ADMONITIONS[6:] if collapsible else ADMONITIONS[:6])
        head = f"{marker} {kind}"
        if marker != "!!!" or r.random() < 0.6:
            head += f' "{r.choice(ADMON_TITLES)}"'
        body = [" ".join(cap(self.prose(r.choice(SENTENCES))) for _ in range(r.randint(1, 4)))]
        self.words += body[0].count(" ") + 1
        if code:
            body.append(self.fence(self.pick_lang(), int(10 + 50 * r.random() ** 4)))
        self.push(head + "\n\n" + indent("\n\n".join(body)), words=False)

    def table(self):
        r = self.r
        rows = r.randint(5, 30)
        k = r.randrange(3)
        if k == 0:
            lines = ["| Setting | Default | Description |", "| --- | --- | --- |"]
            for _ in range(rows):
                lines.append(f"| `{r.choice(NOUNS)}.{r.choice(ADJS)}_{r.choice(NOUNS)}` | `{r.choice((str(r.randint(1, 9999)), 'true', 'false', str(r.randint(1, 600)) + 's'))}` | "
                             + cap(self.prose("how the {noun} {verb} each {adj} {noun2}")) + ". |")
        elif k == 1:
            lines = ["| Metric | Target | Alert after | Owner |", "| --- | ---: | ---: | --- |"]
            for _ in range(rows):
                lines.append(f"| {cap(r.choice(NOUNS))} {r.choice(METRICS)} | < {r.randint(5, 900)} ms | {r.randint(1, 30)} min | {self.rp.team} |")
        else:
            lines = ["| Method | Path | Purpose |", "| :---: | --- | --- |"]
            for _ in range(rows):
                n = r.choice(NOUNS)
                lines.append(f"| `{r.choice(('GET', 'POST', 'PUT', 'DELETE', 'PATCH'))}` | `/v{r.randint(1, 3)}/{n}s/{{id}}/{r.choice(NOUNS)}` | {cap(r.choice(VERBS))} the {n}. |")
        self.push("\n".join(lines), words=False)
        self.words += rows * 6

    def bullets(self):
        r = self.r
        lines = []
        for _ in range(r.randint(3, 7)):
            lines.append("- " + cap(self.prose(r.choice(LIST_ITEMS))))
            if r.random() < 0.25:
                for _ in range(r.randint(1, 3)):
                    lines.append("    - " + self.prose(r.choice(LIST_ITEMS)))
        self.push("\n".join(lines), is_list=True)

    def steps(self):
        r = self.r
        lines = []
        for j in range(r.randint(3, 8)):
            lines.append(f"{j + 1}. " + self.prose(r.choice(STEPS)))
            if r.random() < 0.2:
                lines.append("    - " + cap(self.prose(r.choice(LIST_ITEMS))))
        self.push("\n".join(lines), is_list=True)

    def mermaid(self):
        r = self.r
        nodes = [f"{chr(65 + j)}[{cap(r.choice(NOUNS))} {r.choice(NOUNS)}]" for j in range(r.randint(3, 6))]
        lines = ["```mermaid", "flowchart LR"]
        for j in range(len(nodes) - 1):
            lines.append(f"    {nodes[j]} -->|{r.choice(VERBS_BASE)}| {nodes[j + 1]}")
        lines.append("```")
        self.push("\n".join(lines), words=False)

    def section_body(self, goal, code_quota):
        r = self.r
        if self.words < goal:
            self.paragraph()
        else:
            self.paragraph(1, 2)
        n = 0
        while (self.words < goal or code_quota > 0) and n < 60:
            n += 1
            if code_quota > 0 and (self.words >= goal or r.random() < 0.3):
                k = r.random()
                if k < 0.15 and code_quota >= 2:
                    n = min(code_quota, r.randint(2, 4))
                    self.tabs(n)
                    code_quota -= n
                elif k < 0.25:
                    self.admonition(collapsible=r.random() < 0.7, code=True)
                    code_quota -= 1
                else:
                    self.code_block()
                    code_quota -= 1
                continue
            k = r.random()
            if k < 0.62 or self.after_list and k < 0.8:
                self.paragraph()
            elif k < 0.7:
                self.bullets()
            elif k < 0.76:
                self.steps()
            elif k < 0.83:
                self.table()
            elif k < 0.93:
                self.admonition(collapsible=r.random() < 0.4)
            elif k < 0.945:
                self.mermaid()
            else:
                self.paragraph(2, 4)

    def write(self):
        r, pg, rp = self.r, self.pg, self.rp
        out = [f"# {pg.title}"]
        if pg.path == "index.md":
            intro = (f"`{rp.name}` is a {rp.lifecycle} {rp.kind} owned by [{rp.team}](/catalog/default/group/{rp.team}/) "
                     f"in the [{humanise(rp.system)}](/catalog/default/system/{rp.system}/). {rp.description}")
        else:
            intro = f"This page covers {pg.title.lower()} for `{rp.name}`. " + cap(self.prose(r.choice(SENTENCES)))
        ln = self.link()
        if ln:
            intro += " " + ln
        self.push(intro)
        out += self.blocks
        self.blocks = []
        heads = pg.headings
        nh = len(heads)
        # spread the page's code blocks over its sections
        quota = [0] * nh
        for _ in range(pg.ncode):
            quota[r.randrange(nh)] += 1
        for j, (lv, text, slug) in enumerate(heads):
            out.append("#" * lv + " " + text)
            self.section_body(pg.words * (j + 1) // nh, quota[j])
            out += self.blocks
            self.blocks = []
        for j, note in enumerate(self.footnotes):
            out.append(f"[^{j + 1}]: {note}")
        return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------

def radar_csv(seed):
    r = random.Random(f"{seed}:radar")
    lines = ["name,ring,quadrant,isNew,description"]
    for _, name in TECH:
        ring = r.choice(("Adopt", "Trial", "Assess", "Hold"))
        quad = r.choice(("Languages & Frameworks", "Tools", "Platforms", "Techniques"))
        lines.append(f"{name},{ring},{quad},{'TRUE' if r.random() < 0.2 else 'FALSE'},\"{name} is in {ring} for new work.\"")
    return "\n".join(lines) + "\n"


def median(xs):
    return sorted(xs)[len(xs) // 2] if xs else 0


def prepare_out(out):
    if os.path.lexists(out):
        if not os.path.isdir(out) or os.path.islink(out):
            sys.exit(f"gen-long: {out} exists and is not a folder; refusing to touch it")
        entries = os.listdir(out)
        if entries:
            if not os.path.isfile(os.path.join(out, MARKER)):
                sys.exit(f"gen-long: {out} is not empty and was not written by gen-long.py "
                         f"(no {MARKER}); refusing to delete it")
            shutil.rmtree(out)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, MARKER), "w") as f:
        f.write("Written by tests/bench/gen-long.py; the script may delete and rewrite this folder.\n")


def main():
    ap = argparse.ArgumentParser(description="Writes a long-page, code-heavy stagedoor corpus.")
    ap.add_argument("out")
    ap.add_argument("--repos", type=int, default=1000, help="repositories, the org repo included (>= 2)")
    ap.add_argument("--pages", type=int, default=20000, help="docs pages over the component repos")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--median-words", type=int, default=MEDIAN_WORDS,
                    help="centre of the page-length distribution in words, prose and code together; the "
                         "real median is ~25%% higher (code blocks and a paragraph per heading "
                         "are always written) (default %(default)s)")
    a = ap.parse_args()
    if a.repos < 2:
        sys.exit("gen-long: --repos must be at least 2")
    prepare_out(a.out)
    seed = a.seed
    org, repos = plan_catalog(seed, a.repos)
    plan_docs(seed, repos, a.pages, a.median_words)
    documented = [rp for rp in repos if rp.pages]

    def write(rel, text):
        path = os.path.join(a.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)

    write("stagedoor.yaml",
          f"# Generated by tests/bench/gen-long.py (seed {seed}); do not edit.\n"
          f"title: Long Corpus Org (seed {seed})\nroots:\n  - path: repos/*\n"
          f"    repo_url: https://github.com/{ORG}/{{repo}}\ncatalog:\n  files: [catalog-info.yaml]\n"
          "radars:\n  - id: tech\n    title: Technology Radar\n    file: radar/tech.csv\n")
    write("radar/tech.csv", radar_csv(seed))
    for rel, text in org_files(org):
        write(f"repos/{ORG_REPO}/{rel}", text)
    entities = 2 + len(org["departments"]) + len(org["teams"]) + sum(len(t["members"]) for t in org["teams"]) \
        + len(org["domains"]) + len(org["systems"])
    stats = Stats()
    for idx, rp in enumerate(repos):
        cr = random.Random(f"{seed}:catalog-repo:{idx}")
        write(f"repos/{rp.name}/catalog-info.yaml", catalog_yaml(cr, org, rp, bool(rp.pages)))
        entities += 1 + (1 if rp.api else 0) + (1 if rp.resource else 0)
        if not rp.pages:
            continue
        write(f"repos/{rp.name}/mkdocs.yml", mkdocs_yml(rp))
        for pn, pg in enumerate(rp.pages):
            w = Writer(random.Random(f"{seed}:page:{idx}:{pn}"), pg, documented, stats)
            text = w.write()
            stats.pages += 1
            stats.words.append(w.words)
            stats.prose_words.append(w.words - w.code_words)
            stats.md_bytes += len(text.encode("utf-8"))
            write(f"repos/{rp.name}/docs/{pg.path}", text)
    print(f"gen-long: {a.repos} repos, {stats.pages} pages, {entities} entities, "
          f"{stats.md_bytes / 1e6:.1f} MB of Markdown, {stats.code_blocks} code blocks, "
          f"{stats.code_lines} code lines, {100 * stats.repeated_share():.1f}% of non-blank code lines "
          f"occur more than once; median words/page {median(stats.words)} "
          f"({median(stats.prose_words)} outside code); written to {a.out}")


if __name__ == "__main__":
    main()
