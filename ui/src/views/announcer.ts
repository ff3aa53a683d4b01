// Screen-reader announcements of new visitor lines, through the page's aria-live region.
import type { DeskState } from "../store/state";
import type { ChatLine } from "../types";
import { lineTextForSpeech } from "../lib/html";

export class Announcer {
  constructor(private region: HTMLElement) {}

  say(text: string): void {
    if (!text) return;
    const p = document.createElement("p");
    p.textContent = text;
    this.region.append(p);
    // Keep the region short; old lines have been read.
    while (this.region.childElementCount > 5) this.region.firstElementChild?.remove();
  }

  visitorLine(line: ChatLine, state: DeskState): void {
    if (line.source !== "visitor") return;
    const name = state.chats[line.chat]?.summary.visitorName || "Visitor";
    this.say(`${name} says: ${lineTextForSpeech(line.text, line.textType)}`);
  }
}
