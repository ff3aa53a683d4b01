const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "14:03" today, "12 Nov 14:03" on another day. */
export function clockTime(ms: number | null | undefined, now: number = Date.now()): string {
  if (ms == null) return "";
  const d = new Date(ms);
  const hm = `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
  return new Date(now).toDateString() === d.toDateString() ? hm : `${d.getDate()} ${MONTHS[d.getMonth()]} ${hm}`;
}

export function fullTime(ms: number | null | undefined): string {
  return ms == null ? "" : new Date(ms).toLocaleString();
}

/** "in 12 s", "in 2 min", "now" */
export function relativeIn(ms: number, now: number): string {
  const s = Math.max(0, Math.ceil((ms - now) / 1000));
  if (s === 0) return "now";
  if (s < 90) return `in ${s} s`;
  return `in ${Math.round(s / 60)} min`;
}
