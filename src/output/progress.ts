/** A one-line progress display on stderr (only when stderr is a terminal). */

export interface Progress {
  /** `detail` follows the counts (e.g. recordings archived). */
  update(records: number, pages: number, detail?: string): void;
  note(message: string): void;
  /** Takes the line off the screen before data is written to the same terminal (the next update draws it again). */
  clear(): void;
  done(): void;
}

export function createProgress(enabled: boolean, now: () => number = Date.now, stream: NodeJS.WritableStream = process.stderr): Progress {
  const started = now();
  let line = '';
  const draw = (text: string) => {
    if (!enabled) return;
    line = text;
    stream.write(`\r\x1b[K${text}`);
  };
  return {
    update(records, pages, detail) {
      if (!enabled) return;
      const seconds = Math.max((now() - started) / 1000, 0.001);
      const rate = Math.round(records / seconds).toLocaleString('en-US');
      draw(`${records.toLocaleString('en-US')} records · ${pages} pages · ${rate}/s${detail ? ` · ${detail}` : ''}`);
    },
    note(message) {
      if (enabled) draw(`${line.split(' · waiting')[0]} · ${message}`);
      else stream.write(`${message}\n`);
    },
    clear() {
      if (enabled && line) stream.write('\r\x1b[K');
    },
    done() {
      if (enabled && line) stream.write('\r\x1b[K');
      line = '';
    },
  };
}
