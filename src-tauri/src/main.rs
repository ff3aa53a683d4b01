//! Agent Desk: the desktop shell's entry point. Everything lives in the library.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    agent_desk_lib::run();
}
