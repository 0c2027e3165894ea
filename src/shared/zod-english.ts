// zod's messages in English: the one place they are switched on. Classic zod loaded its English locale
// when it was imported; zod/mini, which the schemas are written with (issue 11: classic zod's module and
// method-laden schemas were a large part of the CLI's start-up and the renderer's first script), loads
// none, and without it every message zod writes itself (a field of the wrong type, an unknown key) reads
// "Invalid input". Every module that defines schemas imports this one, so whichever process or command
// parses first, the messages read exactly as they did with classic zod. The setting is global to zod's
// core, so classic schemas get it too.
//
// The renderer's build replaces `zod/locales` with an empty stand-in (src/renderer/src/lib/zod-locale.ts,
// electron.vite.config.ts): its forms write all their own messages.
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());
