//! The fixed account of the simulator (docs/contracts.md §1): account id, skills and agents.

/// The simulator's account id.
pub const ACCOUNT_ID: &str = "90412345";

/// A skill of the account.
#[derive(Debug, Clone, Copy)]
pub struct SkillDef {
    /// Numeric skill id.
    pub id: u32,
    /// Skill name (what `availableAgents?skill=` and transfers use).
    pub name: &'static str,
}

/// Application-key credentials of an app user (bot).
#[derive(Debug, Clone, Copy)]
pub struct AppKeyDef {
    /// `appKey`.
    pub app_key: &'static str,
    /// `secret`.
    pub secret: &'static str,
    /// `accessToken`.
    pub access_token: &'static str,
    /// `accessTokenSecret`.
    pub access_token_secret: &'static str,
}

/// An agent (user) of the account.
#[derive(Debug, Clone, Copy)]
pub struct AgentDef {
    /// Numeric user id.
    pub id: u32,
    /// Login name.
    pub login_name: &'static str,
    /// Password for user login (None for app-key users).
    pub password: Option<&'static str>,
    /// App-key credentials (None for password users).
    pub app_key: Option<AppKeyDef>,
    /// Nickname shown to visitors ("You are now chatting with {nickname}.").
    pub nickname: &'static str,
    /// Skill ids.
    pub skills: &'static [u32],
    /// Maximum concurrent chats: -1 unlimited, 0 none.
    pub max_chats: i32,
}

/// All skills. The first one (`Sales`) is the default for a new visitor chat.
pub const SKILLS: [SkillDef; 3] = [
    SkillDef {
        id: 1001,
        name: "Sales",
    },
    SkillDef {
        id: 1002,
        name: "Billing",
    },
    SkillDef {
        id: 1003,
        name: "Support",
    },
];

/// All agents, in a fixed order (their index is used internally).
pub const AGENTS: [AgentDef; 5] = [
    AgentDef {
        id: 5001,
        login_name: "ann",
        password: Some("ann-pass"),
        app_key: None,
        nickname: "Ann",
        skills: &[1001, 1002],
        max_chats: 4,
    },
    AgentDef {
        id: 5002,
        login_name: "ben",
        password: Some("ben-pass"),
        app_key: None,
        nickname: "Ben",
        skills: &[1001],
        max_chats: 2,
    },
    AgentDef {
        id: 5003,
        login_name: "cho",
        password: Some("cho-pass"),
        app_key: None,
        nickname: "Cho",
        skills: &[1002, 1003],
        max_chats: -1,
    },
    AgentDef {
        id: 5004,
        login_name: "dee",
        password: Some("dee-pass"),
        app_key: None,
        nickname: "Dee",
        skills: &[1003],
        max_chats: 0,
    },
    AgentDef {
        id: 5009,
        login_name: "bot",
        password: None,
        app_key: Some(AppKeyDef {
            app_key: "demo-app-key",
            secret: "demo-secret",
            access_token: "demo-access-token",
            access_token_secret: "demo-access-secret",
        }),
        nickname: "Bot",
        skills: &[1001],
        max_chats: -1,
    },
];

/// Skill by name (case-sensitive, like the server).
pub fn skill_by_name(name: &str) -> Option<&'static SkillDef> {
    SKILLS.iter().find(|s| s.name == name)
}

/// Skill by id.
pub fn skill_by_id(id: u32) -> Option<&'static SkillDef> {
    SKILLS.iter().find(|s| s.id == id)
}

/// Agent index by login name.
pub fn agent_index(login_name: &str) -> Option<usize> {
    AGENTS.iter().position(|a| a.login_name == login_name)
}

/// Agent index by numeric id.
pub fn agent_index_by_id(id: u32) -> Option<usize> {
    AGENTS.iter().position(|a| a.id == id)
}
