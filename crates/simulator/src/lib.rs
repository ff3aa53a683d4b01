//! A faithful local simulator of the Chat Agent API server.
