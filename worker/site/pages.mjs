// The Worker's page handler: it serves the prerendered pages from the
// static assets without starting Go, so a page view costs what a static
// file does. It fills in what only the request knows, by the rules that
// worker/site and worker/oembed define (rules.gen.mjs): the absolute oEmbed
// discovery link, /embed's ?theme= as data-theme on <html>, so the theme
// applies without JavaScript, /embed's ?lang=, which serves that
// language's embed, and the origin in the page's absolute URLs. The
// headers come from the generated _headers file, which the assets binding
// applies.
import * as rules from "./rules.gen.mjs";

/** pageOf returns the canonical page a path names, or undefined. */
export function pageOf(pathname) {
  return Object.hasOwn(rules.pages, pathname) ? rules.pages[pathname] : undefined;
}

/** canonicalPage is tokendesk.CanonicalPage: the canonical page of url, with /embed's ?lang=, or undefined. */
export function canonicalPage(url) {
  const page = pageOf(url.pathname);
  if (!rules.langPaths.includes(url.pathname)) return page;
  const lang = (url.searchParams.get("lang") ?? "").toLowerCase();
  return Object.hasOwn(rules.langEmbeds, lang) ? rules.langEmbeds[lang] : page;
}

/** themeOf returns "light", "dark" or "" (auto) for a theme query value, as tokendesk.Theme does. */
export function themeOf(value) {
  const theme = (value ?? "").trim().toLowerCase();
  return Object.hasOwn(rules.themes, theme) ? theme : "";
}

function escapeHTML(s) {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&#34;").replaceAll("'", "&#39;");
}

/** discoveryLink is oembed.DiscoveryLink for a canonical page URL. */
export function discoveryLink(origin, pageURL) {
  return rules.discovery[pageURL]
    .replace(rules.originMarker, escapeHTML(origin))
    .replace(rules.originQueryMarker, escapeHTML(encodeURIComponent(origin)));
}

/** personalize applies the rules to a page's HTML for url. */
export function personalize(html, url) {
  const page = canonicalPage(url);
  const theme = themeOf(url.searchParams.get("theme"));
  // The discovery link keeps the theme on every page (oEmbed passes it to
  // its iframe); only the embed's own <html> takes it.
  html = html.replace(rules.discoveryPlaceholder, discoveryLink(url.origin, theme ? page + "?theme=" + theme : page));
  // The page's absolute URLs (og:url, the hreflang alternates) name the
  // origin it was asked on.
  html = html.replaceAll(rules.originMarker, escapeHTML(url.origin));
  if (theme && rules.themed.includes(page)) html = html.replace(rules.htmlStart, rules.themes[theme]);
  return html;
}

/**
 * isLoopbackHost is message.IsLoopbackHost: whether a URL's hostname is
 * localhost, 127.0.0.0/8 or ::1, which may be served over plain http (local
 * runs and tests). worker/message/testdata/loopback.json holds both to it.
 */
export function isLoopbackHost(host) {
  host = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost" || host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  const octets = host.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((o) => /^(0|[1-9][0-9]{0,2})$/.test(o) && Number(o) <= 255);
}

/** servePage answers a page request from env.ASSETS, or returns null when the path is no page. */
export async function servePage(request, env) {
  const url = new URL(request.url);
  if (pageOf(url.pathname) === undefined || (request.method !== "GET" && request.method !== "HEAD")) return null;
  // Pages are served over https only, as the relay is (message.PlainHTTP).
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    url.protocol = "https:";
    return new Response(null, { status: 308, headers: { Location: url.href } });
  }
  // /embed?lang=de is the German embed's asset.
  const page = canonicalPage(url);
  const asset = await env.ASSETS.fetch(page === pageOf(url.pathname) ? request : new Request(new URL(page, url), request));
  if (asset.status !== 200 || !(asset.headers.get("Content-Type") || "").startsWith("text/html")) return asset;
  const headers = new Headers(asset.headers);
  // The body is no longer the asset's.
  headers.delete("ETag");
  headers.delete("Content-Length");
  const body = request.method === "HEAD" ? null : personalize(await asset.text(), url);
  return new Response(body, { status: 200, headers });
}
