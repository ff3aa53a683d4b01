//! Agent Desk shell
