import CasebookCore
import Testing

@Suite("HTML sanitiser")
struct HTMLSanitizerTests {
    @Test("scripts, styles and their content are removed")
    func scripts() {
        let out = HTMLSanitizer.sanitize("<p>Hi</p><script>alert(1)</script><style>p{}</style><SCRIPT src=x></SCRIPT>done")
        #expect(out == "<p>Hi</p>done")
    }

    @Test("event handlers and style attributes are dropped")
    func attributes() {
        let out = HTMLSanitizer.sanitize(#"<b onclick="x()" style="color:red" class="c">bold</b><img src=x onerror=alert(1)>"#)
        #expect(out == #"<b>bold</b><img>"#)
    }

    @Test("dangerous link schemes are removed however they are spelled", arguments: [
        #"<a href="javascript:alert(1)">x</a>"#,
        #"<a href="JaVaScRiPt:alert(1)">x</a>"#,
        #"<a href="jav&#x61;script:alert(1)">x</a>"#,
        #"<a href="jav&#97script:alert(1)">x</a>"#,
        "<a href=\"java\tscript:alert(1)\">x</a>",
        #"<a href=" javascript:alert(1)">x</a>"#,
        #"<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>"#,
        #"<a href="vbscript:msgbox">x</a>"#,
    ])
    func badLinks(html: String) {
        #expect(HTMLSanitizer.sanitize(html) == "<a>x</a>")
    }

    @Test("safe links keep their address and gain rel=noopener")
    func goodLink() {
        #expect(HTMLSanitizer.sanitize(#"<a href="https://example.com/?a=1&amp;b=2">x</a>"#)
            == #"<a href="https://example.com/?a=1&amp;b=2" rel="noopener noreferrer nofollow">x</a>"#)
    }

    @Test("remote images are not loaded: src becomes data-remote-src")
    func images() {
        #expect(HTMLSanitizer.sanitize(#"<img src="https://tracker.example/p.gif" alt="logo" width="10">"#)
            == #"<img data-remote-src="https://tracker.example/p.gif" alt="logo" width="10">"#)
        // Sanitising again (pages re-sanitise stored bodies) keeps the blocked address; only web addresses survive.
        let once = HTMLSanitizer.sanitize(#"<img src="https://tracker.example/p.gif"><img src="javascript:alert(1)"><img data-remote-src="javascript:x" src="https://a.example/i.png">"#)
        #expect(HTMLSanitizer.sanitize(once) == once)
        #expect(once == #"<img data-remote-src="https://tracker.example/p.gif"><img><img data-remote-src="https://a.example/i.png">"#)
    }

    @Test("unknown tags are dropped but their text is kept, escaped")
    func unknownTags() {
        #expect(HTMLSanitizer.sanitize("<font color=red>a > b & c</font>") == "a &gt; b &amp; c")
    }

    @Test("open tags are closed and stray closers ignored")
    func balance() {
        #expect(HTMLSanitizer.sanitize("<div><p>x</div></span>y") == "<div><p>x</p></div>y")
    }

    @Test("comments, doctypes and processing instructions vanish")
    func comments() {
        #expect(HTMLSanitizer.sanitize("<!DOCTYPE html><!-- <script>x</script> -->a<?php echo 1 ?>b") == "ab")
    }

    @Test("a lone < stays text")
    func loneBracket() {
        #expect(HTMLSanitizer.sanitize("1 < 2 <3") == "1 &lt; 2 &lt;3")
    }

    @Test("attribute values cannot break out of their quotes")
    func quoting() {
        #expect(HTMLSanitizer.sanitize(#"<abbr title='a" onmouseover="x'>t</abbr>"#) == #"<abbr title="a&quot; onmouseover=&quot;x">t</abbr>"#)
    }

    @Test("an unterminated script hides the rest rather than running it")
    func unterminated() {
        #expect(HTMLSanitizer.sanitize("ok<script>alert(1)") == "ok")
        #expect(HTMLSanitizer.sanitize("ok<img src=x onerror=alert(1)") == "ok")
    }
}
