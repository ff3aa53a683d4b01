import "./styles/main.css";
import { App } from "./app";
import { reportFirstRender } from "./ipc";

const root = document.getElementById("app")!;
const live = document.getElementById("announcer")!;
const app = new App(root, live);
// The constructor rendered the first view (login): report when that frame is on screen.
reportFirstRender();
void app.start();
