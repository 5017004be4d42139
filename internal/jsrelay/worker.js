// The JS comparator relay for `make bench`: the same job as the Go relay
// (worker/relay), written by hand in plain JavaScript with no dependencies.
// It is a benchmark baseline only; see README.md. It is one file on
// purpose, as a hand-written Worker would be; its path and limits are the
// contract's (internal/bench's TestJSComparatorKeepsTheContract).

const TOKEN_PATH = "/auth/token";
const MAX_BODY_BYTES = 8 << 10;
const MAX_NAME_CHARS = 100;
const MAX_MAIL_BYTES = 254;
const MAX_COMMENT_CHARS = 1000;
const MAX_MULTIPART_PARTS = 16;
const MAX_UPSTREAM_BODY = 64 << 10;
const DEFAULT_UPSTREAM_URL = "https://api.metahumansdk.io";
const DEFAULT_TIMEOUT_MS = 10000;
const FIELDS = ["name", "mail", "comment"];
const URLENCODED = "application/x-www-form-urlencoded";
const MULTIPART = "multipart/form-data";

const encoder = new TextEncoder();

class RelayError {
  constructor(status, code, message, field, upstream) {
    this.status = status;
    this.code = code;
    this.message = message;
    this.field = field;
    this.upstream = upstream;
  }
}

const fieldError = (code, field, message) => new RelayError(400, code, message, field);
const badForm = (message) => new RelayError(400, "bad_form", message);
const bodyTooLarge = () => new RelayError(413, "body_too_large",
  "The form is too large. Name, email and comment together must stay under 8 KiB.");
const unsupportedMediaType = () => new RelayError(415, "unsupported_media_type",
  "Send the form as application/x-www-form-urlencoded or multipart/form-data.");
const upstreamUnreachable = () => new RelayError(502, "upstream_unreachable",
  "The MetaHuman SDK API could not be reached. Your details are kept: try again in a minute.");
const upstreamBadAnswer = () => new RelayError(502, "upstream_bad_answer",
  "The MetaHuman SDK API sent an answer we could not read, so no token was shown. Try again in a minute.");

// ---- configuration, parsed once per distinct set of vars ----

let cachedKey = null;
let cachedSettings = null;

function isLoopbackHost(host) {
  host = host.replace(/^\[/, "").replace(/\]$/, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const UNIT_MS = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

// parseTimeout accepts a Go duration ("10s", "1m30s") or a number of seconds.
function parseTimeout(t) {
  if (/^\d+(\.\d*)?$/.test(t)) return parseFloat(t) * 1000;
  const re = /(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/y;
  let ms = 0;
  let m;
  while (re.lastIndex < t.length && (m = re.exec(t)) !== null) ms += parseFloat(m[1]) * UNIT_MS[m[2]];
  return re.lastIndex === t.length && t.length > 0 ? ms : NaN;
}

function formatDuration(ms) {
  if (ms % 1000 === 0 && ms < 60000) return ms / 1000 + "s";
  if (ms < 1000) return ms + "ms";
  const m = Math.floor(ms / 60000);
  const s = (ms % 60000) / 1000;
  return (m > 0 ? m + "m" : "") + s + "s";
}

function settings(env) {
  const key = (env.UPSTREAM_URL || "") + "\n" + (env.ALLOWED_ORIGINS || "") + "\n" + (env.UPSTREAM_TIMEOUT || "");
  if (key === cachedKey) return cachedSettings;
  const s = { timeoutMs: DEFAULT_TIMEOUT_MS, allowed: new Set(), err: "" };
  const raw = (env.UPSTREAM_URL || "").trim() || DEFAULT_UPSTREAM_URL;
  let u = null;
  try { u = new URL(raw); } catch { /* handled below */ }
  if (!u || !u.host || u.username || u.password || u.search || u.hash) {
    s.err = "UPSTREAM_URL must be a plain base URL such as " + DEFAULT_UPSTREAM_URL + ".";
  } else if (!(u.protocol === "https:" || (u.protocol === "http:" && isLoopbackHost(u.hostname)))) {
    s.err = "UPSTREAM_URL must use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1]).";
  } else {
    s.tokenURL = u.href.replace(/\/+$/, "") + TOKEN_PATH;
  }
  for (let origin of (env.ALLOWED_ORIGINS || "").split(",")) {
    origin = origin.trim();
    if (!origin || s.err) continue;
    let o = null;
    try { o = new URL(origin); } catch { /* handled below */ }
    if (!o || (o.protocol !== "https:" && o.protocol !== "http:") || o.origin !== origin.toLowerCase()) {
      s.err = "ALLOWED_ORIGINS must be a comma-separated list of origins like https://docs.example.com (no paths, no *); got " + JSON.stringify(origin) + ".";
    }
    s.allowed.add(origin.toLowerCase());
  }
  const t = (env.UPSTREAM_TIMEOUT || "").trim();
  if (t && !s.err) {
    const ms = parseTimeout(t);
    if (!(ms > 0) || ms > 300000) {
      s.err = "UPSTREAM_TIMEOUT must be a duration such as 10s (at most 5m); got " + JSON.stringify(t) + ".";
    } else {
      s.timeoutMs = ms;
    }
  }
  cachedKey = key;
  cachedSettings = s;
  return s;
}

// ---- the form ----

function mediaType(contentType) {
  return (contentType || "").split(";")[0].trim().toLowerCase();
}

// readBody reads at most MAX_BODY_BYTES + 1 bytes of the body.
async function readBody(request) {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      reader.cancel();
      break;
    }
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

// parseURLEncoded follows Go's url.ParseQuery: a ';' or a bad escape is an error.
function parseURLEncoded(text) {
  const values = new Map();
  for (const part of text.split("&")) {
    if (part === "") continue;
    if (part.includes(";")) return null;
    const eq = part.indexOf("=");
    let key, value;
    try {
      key = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, " "));
      value = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, " "));
    } catch {
      return null;
    }
    const list = values.get(key);
    if (list) list.push(value); else values.set(key, [value]);
  }
  return values;
}

async function parseMultipart(contentType, body) {
  if (!/;\s*boundary=/i.test(contentType)) throw badForm("The multipart body has no boundary in its Content-Type.");
  let form;
  try {
    form = await new Response(body, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    throw badForm("The multipart body could not be read. Send name, mail and comment as plain form fields.");
  }
  const values = new Map();
  let parts = 0;
  for (const [name, value] of form) {
    if (++parts > MAX_MULTIPART_PARTS) {
      throw badForm("The multipart body could not be read. Send name, mail and comment as plain form fields.");
    }
    if (typeof value !== "string") throw badForm("The form takes no files. Send name, mail and comment as plain text fields.");
    const list = values.get(name);
    if (list) list.push(value); else values.set(name, [value]);
  }
  return values;
}

async function readValues(request) {
  const length = Number(request.headers.get("Content-Length") || "0");
  if (length > MAX_BODY_BYTES) throw bodyTooLarge();
  const contentType = request.headers.get("Content-Type") || "";
  const type = mediaType(contentType);
  if (type !== URLENCODED && type !== MULTIPART) throw unsupportedMediaType();
  const body = await readBody(request);
  if (body.byteLength > MAX_BODY_BYTES) throw bodyTooLarge();
  if (type === MULTIPART) return parseMultipart(contentType, body);
  const values = parseURLEncoded(new TextDecoder().decode(body));
  if (!values) throw badForm("The form body is not valid URL encoding. Encode each field with encodeURIComponent or curl --data-urlencode.");
  return values;
}

const ATOM = "[^\\s\"(),.:;<>@\\[\\\\\\]\\x00-\\x1f\\x7f]+";
const DOT_ATOM = ATOM + "(?:\\." + ATOM + ")*";
const QUOTED = "\"(?:[^\"\\\\\\r\\n]|\\\\.)*\"";
const DOMAIN_LITERAL = "\\[[^\\[\\]\\\\]*\\]";
const ADDRESS = "(?:" + DOT_ATOM + "|" + QUOTED + ")@(?:" + DOT_ATOM + "|" + DOMAIN_LITERAL + ")";
const MAIL_RE = new RegExp("^(?:(" + ADDRESS + ")|<(" + ADDRESS + ")>)$");

function chars(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function validate(values) {
  for (const field of FIELDS) {
    const list = values.get(field);
    if (list && list.length > 1) {
      throw fieldError("field_duplicated", field, "Send the " + field + " field once; it was given more than once.");
    }
  }
  const get = (field) => (values.get(field)?.[0] ?? "").trim();
  const name = get("name");
  let mail = get("mail");
  const comment = get("comment");

  const n = chars(name);
  if (n === 0) throw fieldError("field_required", "name", "Enter your name.");
  if (name.includes("\uFFFD")) throw fieldError("field_invalid", "name", "Your name contains bytes that are not text. Type it again.");
  if (n > MAX_NAME_CHARS) {
    throw fieldError("field_too_long", "name", "Shorten your name to " + MAX_NAME_CHARS + " characters or fewer (it has " + n + ").");
  }
  if (/\p{Cc}/u.test(name)) throw fieldError("field_invalid", "name", "Put your name on a single line, without tabs or line breaks.");

  if (mail === "") throw fieldError("field_required", "mail", "Enter your email address.");
  if (encoder.encode(mail).length > MAX_MAIL_BYTES) {
    throw fieldError("field_too_long", "mail", "Use an email address of " + MAX_MAIL_BYTES + " characters or fewer.");
  }
  const m = MAIL_RE.exec(mail);
  if (!m) throw fieldError("field_invalid", "mail", "Enter one email address, like name@example.com.");
  mail = m[1] || m[2];
  const domain = mail.slice(mail.lastIndexOf("@") + 1);
  if (!domain.includes(".") && !domain.startsWith("[")) {
    throw fieldError("field_invalid", "mail", "Check the part after @: it needs a domain such as example.com.");
  }

  if (comment.includes("\uFFFD")) throw fieldError("field_invalid", "comment", "Your comment contains bytes that are not text. Type it again.");
  const c = chars(comment);
  if (c > MAX_COMMENT_CHARS) {
    throw fieldError("field_too_long", "comment", "Shorten your comment to " + MAX_COMMENT_CHARS + " characters or fewer (it has " + c + ").");
  }
  return { name, mail, comment };
}

// Go's url.QueryEscape: encodeURIComponent with spaces as '+' and !'()* escaped.
function queryEscape(s) {
  return encodeURIComponent(s).replace(/%20/g, "+").replace(/[!'()*]/g, (ch) => "%" + ch.charCodeAt(0).toString(16).toUpperCase());
}

// ---- the upstream call ----

function validToken(t) {
  return typeof t === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t);
}

function upstreamJSON(text) {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

function rejectedMessage(status, upstream) {
  let said = typeof upstream?.error?.message === "string" ? upstream.error.message.trim() : "";
  if (said.length > 200) said = said.slice(0, 200) + "…";
  let msg;
  if (status === 429) msg = "The MetaHuman SDK API is getting too many requests. Wait a minute, then try again.";
  else if (status === 401 || status === 403) msg = "The MetaHuman SDK API refused to issue a token for these details. Check them, or contact MetaHuman SDK support.";
  else msg = "The MetaHuman SDK API refused the form. Check your details and try again.";
  return said ? msg + " It said: “" + said + "”" : msg;
}

async function relay(form, s) {
  const body = "name=" + queryEscape(form.name) + "&mail=" + queryEscape(form.mail) + "&comment=" + queryEscape(form.comment);
  let res, text;
  try {
    res = await fetch(s.tokenURL, {
      method: "POST",
      headers: { "Content-Type": URLENCODED, "Accept": "application/json", "User-Agent": "mhsdk-token-desk/1" },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(s.timeoutMs),
    });
    text = await res.text();
  } catch (e) {
    if (e && (e.name === "TimeoutError" || e.name === "AbortError")) {
      throw new RelayError(504, "upstream_timeout",
        "The MetaHuman SDK API did not answer within " + formatDuration(s.timeoutMs) + ". Your details are kept: try again in a minute.");
    }
    throw upstreamUnreachable();
  }
  if (text.length > MAX_UPSTREAM_BODY) text = text.slice(0, MAX_UPSTREAM_BODY);
  const status = res.status;
  if (status === 200) {
    let answer;
    try { answer = JSON.parse(text); } catch { throw upstreamBadAnswer(); }
    if (!validToken(answer?.result?.token)) throw upstreamBadAnswer();
    return { status: 200, upstreamStatus: status, response: new Response(text, { status: 200, headers: { "Content-Type": "application/json" } }) };
  }
  const upstream = upstreamJSON(text);
  if (status >= 400 && status < 500) {
    const e = new RelayError(status, "upstream_rejected", rejectedMessage(status, upstream), undefined, upstream);
    e.upstreamStatus = status;
    throw e;
  }
  if (status >= 500 && status < 600) {
    const e = new RelayError(502, "upstream_failed",
      "The MetaHuman SDK API is having trouble right now (it answered " + status + "). Your details are kept: try again in a minute.",
      undefined, upstream);
    e.upstreamStatus = status;
    throw e;
  }
  const e = upstreamBadAnswer();
  e.upstreamStatus = status;
  throw e;
}

// ---- the handler ----

function errorResponse(e, headers) {
  const error = { code: e.code, message: e.message };
  if (e.field) error.field = e.field;
  if (e.upstream !== undefined) error.upstream = e.upstream;
  headers.set("Content-Type", "application/json");
  headers.set("X-Content-Type-Options", "nosniff");
  return new Response(JSON.stringify({ error }) + "\n", { status: e.status, headers });
}

async function serve(request, env, headers, entry) {
  const url = new URL(request.url);
  const secure = url.protocol === "https:";
  if (secure) {
    headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload");
  } else if (!isLoopbackHost(url.hostname)) {
    if (request.method === "GET" || request.method === "HEAD") {
      headers.set("Location", "https://" + url.host + url.pathname + url.search);
      return new Response(null, { status: 308, headers });
    }
    throw new RelayError(403, "https_required",
      "Use https:// for this request; plain http:// is refused so your details are never sent in the clear.");
  }
  if (url.pathname !== TOKEN_PATH) {
    throw new RelayError(404, "not_found", "There is nothing here. The relay answers only POST " + TOKEN_PATH + ".");
  }
  const s = settings(env);
  if (s.err) {
    throw new RelayError(500, "config_error", "The token desk is misconfigured: " + s.err + " The operator must fix the Worker vars.");
  }
  const origin = request.headers.get("Origin");
  if (origin) {
    headers.append("Vary", "Origin");
    if (origin.toLowerCase() !== (url.protocol + "//" + url.host).toLowerCase()) {
      if (!s.allowed.has(origin.toLowerCase())) {
        throw new RelayError(403, "origin_forbidden",
          "This page's origin may not request tokens here. Use the token desk's own page, or ask its operator to add your origin to ALLOWED_ORIGINS.");
      }
      headers.set("Access-Control-Allow-Origin", origin);
    }
  }
  if (request.method === "OPTIONS") {
    headers.set("Allow", "POST, OPTIONS");
    if (headers.has("Access-Control-Allow-Origin")) {
      headers.set("Access-Control-Allow-Methods", "POST");
      headers.set("Access-Control-Allow-Headers", "Content-Type, Accept");
      headers.set("Access-Control-Max-Age", "7200");
    }
    return new Response(null, { status: 204, headers });
  }
  if (request.method !== "POST") {
    headers.set("Allow", "POST, OPTIONS");
    throw new RelayError(405, "method_not_allowed", "Use POST to request a token.");
  }
  const form = validate(await readValues(request));
  const out = await relay(form, s);
  entry.upstreamStatus = out.upstreamStatus;
  for (const [k, v] of headers) out.response.headers.set(k, v);
  return out.response;
}

export default {
  async fetch(request, env) {
    const start = Date.now();
    // Nothing the relay answers may be cached, least of all a token.
    const headers = new Headers({ "Cache-Control": "no-store" });
    const entry = { upstreamStatus: 0, code: "" };
    let response;
    try {
      response = await serve(request, env, headers, entry);
    } catch (e) {
      if (!(e instanceof RelayError)) throw e;
      entry.code = e.code;
      if (e.upstreamStatus) entry.upstreamStatus = e.upstreamStatus;
      response = errorResponse(e, headers);
    }
    // One log line per request, like the Go relay; never a body or a token.
    console.log(request.method + " " + new URL(request.url).pathname + " status=" + response.status +
      " upstream=" + (entry.upstreamStatus || "-") + (entry.code ? " code=" + entry.code : "") +
      " duration=" + (Date.now() - start).toFixed(1) + "ms");
    return response;
  },
};
