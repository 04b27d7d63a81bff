import CasebookServer

/// The command line's messages, in the language of the administrator's locale (see `CommandText`).
let say = CommandText()
