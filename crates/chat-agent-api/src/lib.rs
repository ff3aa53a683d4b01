//! Typed, quirk-tolerant client for LivePerson's Chat Agent API.
