// Messages are part of the domain's vocabulary (refusals and reasons speak in keys); i18n translates them.
export { keyParam, listParam, msg, type MessageKey, type Msg } from '../domain/msg.js';
