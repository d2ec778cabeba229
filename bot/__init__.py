"""bot: questions in, exact cited answers out. It never parses documents.

Public pieces:
- `answer.answer(question, store, today=None, search=None) -> Answer`: the one function every
  interface calls
- `understand.understand(question, agencies, today) -> Query`
- `cli.main`: the `xxgk` command; `repl.run_repl`; `telegram` (the Telegram bot)
"""
