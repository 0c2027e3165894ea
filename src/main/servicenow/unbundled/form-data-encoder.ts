// Stands in for the `form-data-encoder` package in the built app and CLI (electron.vite.config.ts). got
// uses it only for FormData bodies; Spokesmith sends JSON (src/main/servicenow/body.ts), so no body is
// ever form data.
import { notBundled } from './not-bundled';

export function isFormData(): false {
  return false;
}

export class FormDataEncoder {
  constructor() {
    notBundled('form-data-encoder');
  }
}
