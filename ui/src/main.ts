import "./styles/main.css";
import { App } from "./app";

const root = document.getElementById("app")!;
const live = document.getElementById("announcer")!;
const app = new App(root, live);
void app.start();
