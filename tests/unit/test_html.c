/* test_html.c — the escaping writer in every context, the template
 * engine, the payment QR payload. */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "qr.h"
#include "tap.h"
#include "template.h"

static const char hostile[] = "<script>alert(1)</script> & \"cudzysłów\" 'x'";

static char *
text(const char *s)
{
	struct buf b = BUF_INIT;

	(void)html_text(&b, s);
	return buf_detach(&b, NULL);
}

static char *
render(const char *src, const struct tpl_vars *vs, struct err *e)
{
	struct buf b = BUF_INIT;
	struct tpl *t = NULL;
	char *r = NULL;

	err_clear(e);
	if (tpl_parse(&t, NULL, "t.html", src, strlen(src), e) == 0 &&
	    tpl_render(&b, t, vs, e) == 0)
		r = buf_detach(&b, NULL);
	buf_free(&b);
	tpl_free(t);
	return r;
}

int
main(void)
{
	struct buf b = BUF_INIT, h = BUF_INIT;
	struct tpl_vars vs = TPL_VARS_INIT;
	struct err e;
	char *s;

	tap_plan(25);

	s = text(hostile);
	is_str(s, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;cudzysłów&quot; &#39;x&#39;",
	    "text: < > & \" ' escaped, UTF-8 kept");
	free(s);
	s = text("");
	is_str(s ? s : "", "", "text: empty adds nothing");
	free(s);

	(void)html_open(&b, "td", "class", "a\"><script>", "data-x", NULL, "hidden", "", NULL);
	is_str(b.data, "<td class=\"a&quot;&gt;&lt;script&gt;\" hidden=\"\">",
	    "attribute values escaped and quoted; NULL value skipped; empty kept");
	buf_reset(&b);
	(void)html_elem(&b, "p", "a<b");
	is_str(b.data, "<p>a&lt;b</p>", "element with escaped text");
	buf_reset(&b);
	(void)html_url_component(&b, "O 1/../ą?&=#\"");
	is_str(b.data, "O%201%2F..%2F%C4%85%3F%26%3D%23%22", "URL component percent-encoded");
	buf_reset(&b);
	(void)html_url_component(&b, "javascript:alert(1)");
	is_str(b.data, "javascript%3Aalert%281%29", "URL component: no scheme survives");
	buf_reset(&b);
	(void)html_money(&b, -123456);
	is_str(b.data, "\xE2\x88\x92" "1\xC2\xA0" "234,56\xC2\xA0z\xC5\x82", "money");
	buf_reset(&b);
	(void)html_raw_trusted(&b, "<b>", 3);
	is_str(b.data, "<b>", "raw_trusted is raw");

	/* templates */
	(void)tpl_set_text(&vs, "name", hostile, &e);
	s = render("<p title=\"{{name}}\">{{ name }}</p>", &vs, &e);
	ok(s != NULL && strstr(s, "<script>") == NULL && strstr(s, "&lt;script&gt;") != NULL,
	    "template: text values escaped in content and attributes");
	ok(s != NULL && strncmp(s, "<p title=\"&lt;script", 20) == 0, "... attribute closed safely");
	free(s);
	(void)html_elem(&h, "em", "<ok>");
	(void)tpl_set_html(&vs, "frag", &h, &e);
	s = render("a{{frag}}b", &vs, &e);
	is_str(s, "a<em>&lt;ok&gt;</em>b", "template: HTML values inserted as built");
	free(s);
	s = render("x{{! a comment with < > }}y", &vs, &e);
	is_str(s, "xy", "template: comments dropped");
	free(s);
	s = render("{{nope}}", &vs, &e);
	ok(s == NULL && e.kind == ERR_DATA && strstr(e.msg, "t.html:1: unknown placeholder {{nope}}"),
	    "template: unknown placeholder is an error with file and line");
	free(s);
	s = render("a\nb\n{{x", &vs, &e);
	ok(s == NULL && strstr(e.msg, "t.html:3: {{ without }}") != NULL,
	    "template: unterminated placeholder, line counted");
	s = render("{{a b}}", &vs, &e);
	ok(s == NULL && strstr(e.msg, "bad character") != NULL, "template: bad name refused");
	s = render("{{> ../etc/passwd}}", &vs, &e);
	ok(s == NULL && e.kind == ERR_DATA, "template: include with '/' refused");
	s = render("{{> .hidden}}", &vs, &e);
	ok(s == NULL && e.kind == ERR_DATA, "template: include of a dot file refused");
	s = render("no placeholders { } }}", &vs, &e);
	is_str(s, "no placeholders { } }}", "template: plain text passes");
	free(s);
	(void)tpl_set_text(&vs, "name", "second", &e);
	s = render("{{name}}", &vs, &e);
	is_str(s, "second", "template: a value can be replaced");
	free(s);

	/* the payment QR payload (ZBP 2D) */
	buf_reset(&b);
	err_clear(&e);
	ok(qr_payment_payload(&b, "6581234569", "59124013720000000000000451", 93482,
	    "Konecka Spółdzielnia Mieszkaniowa", "Zaległość, kartoteka K000451", &e) == 0,
	    "qr payload built");
	is_str(b.data, "6581234569|PL|59124013720000000000000451|093482|Konecka Spółdzielnia|"
	    "Zaległość, kartoteka K000451|||", "qr payload: fields, 6-digit grosze, 20-char recipient");
	buf_reset(&b);
	(void)qr_payment_payload(&b, "6581234569", "59124013720000000000000451", 5,
	    "A|B\nC", "tytuł z | kreską i bardzo długim ciągiem znaków", &e);
	is_str(b.data, "6581234569|PL|59124013720000000000000451|000005|ABC|"
	    "tytuł z  kreską i bardzo długim|||", "qr payload: '|' and controls dropped, title cut at 32");
	buf_reset(&b);
	ok(qr_payment_payload(&b, "6581234569", "59124013720000000000000451", 1000000, "x", "y", &e)
	    == -1 && e.kind == ERR_DATA, "qr payload: above 9 999,99 zł refused");
	ok(qr_payment_payload(&b, "658-123-45-69", "59124013720000000000000451", 1, "x", "y", &e)
	    == -1, "qr payload: NIP must be 10 digits");
	buf_reset(&b);
	ok(qr_svg(&b, "6581234569|PL|59124013720000000000000451|093482|x|y|||", "Kod QR", &e) == 0 &&
	    strncmp(b.data, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewbox=\"0 0 ", 50) == 0 &&
	    strstr(b.data, "<path d=\"M") != NULL, "qr svg drawn");

	buf_free(&b);
	buf_free(&h);
	tpl_vars_free(&vs);
	return tap_done();
}
