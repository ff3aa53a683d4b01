import "./styles/main.css";
import { App } from "./app";
import { pageMark, reportFirstRender } from "./ipc";

const scriptStart = pageMark("modules evaluated");

const root = document.getElementById("app")!;
const live = document.getElementById("announcer")!;
const app = new App(root, live);
// The constructor rendered the first view (login): report when that frame is on screen.
reportFirstRender([scriptStart, pageMark("first view built")]);
void app.start();
