"""RT's own adapter, with the one header RT 5's REST2 now wants from a signed-in browser session.

Loaded by scripts/bench-side-by-side.sh with --adapter-file. RT refuses a REST2 write made with a
session cookie and no Referer ("Cross-site request forgery protection refused this request"), so
every create failed; a Referer naming RT itself is what a browser on RT's own pages sends. Nothing
else of RTAdapter changes, so RT is still measured signed in once per client.
"""
import __main__

RTAdapter = __main__.RTAdapter


class RTSessionAdapter(RTAdapter):
    def new_session(self):
        s = super().new_session()
        s.headers["Referer"] = self.base + "/"
        return s


ADAPTERS = {"rt-session": RTSessionAdapter}
