"""bot: questions in, exact cited answers out. It never parses documents.

Public pieces:
- `answer.answer(question, store, today=None, search=None) -> Answer`: the one function every
  interface calls
- `understand.understand(question, resolver, today) -> Query`
- `agencies.resolver_for(store) -> Resolver`: every stored body's aliases in one index
- `cli.main`: the `xxgk` command; `repl.run_repl`; `telegram` (the Telegram bot)
"""
