"""The local exchange: MEXC's endpoints in memory, judged by :mod:`mexc_helpers.protocol`'s verifier.

- :mod:`.app`: the WSGI app (werkzeug routing), for any WSGI server;
- :mod:`.exchange`: :class:`~.exchange.LocalExchange`, the app on a socket in a background thread;
- :mod:`.inprocess`: the same app without a socket, where there is none (the browser);
- :mod:`.market`, :mod:`.orders`: symbols, business rules and the per-key order book;
- :mod:`.log`: the server's view of recent requests;
- :mod:`.classroom`: key issuing and the class server (waitress).
"""
