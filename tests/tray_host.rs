//! A system-tray host for the tests: it owns `org.kde.StatusNotifierWatcher` on the test's session
//! bus, so the app's tray (libayatana-appindicator on Linux) registers its StatusNotifierItem here.
//! The host reads the item's properties, records the item's change signals, and drives its menu
//! over `com.canonical.dbusmenu` as a panel would when the agent clicks an entry.
//!
//! Start it before the app: appindicator looks for the watcher when the tray is built, and without
//! one it falls back to an XEmbed icon that nothing here can read.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use zbus::message::{Header, Type as MessageType};
use zbus::object_server::SignalEmitter;
use zbus::{Connection, MatchRule, MessageStream, interface};
use zbus::{OwnedVariant as OwnedValue, Variant as Value};

use crate::window::{STEP, poll};
use crate::{E2eResult, fail};

/// The watcher's well-known name and object path (the StatusNotifierItem spec).
pub const WATCHER_NAME: &str = "org.kde.StatusNotifierWatcher";
const WATCHER_PATH: &str = "/StatusNotifierWatcher";
/// The item's interface.
pub const ITEM_INTERFACE: &str = "org.kde.StatusNotifierItem";
/// The menu's interface.
pub const MENU_INTERFACE: &str = "com.canonical.dbusmenu";
/// Where an item lives when it registers with a bus name only (the spec's default path).
const DEFAULT_ITEM_PATH: &str = "/StatusNotifierItem";

/// What has registered with the watcher.
#[derive(Debug, Default)]
struct Registry {
    /// Items as `bus-name/object/path`.
    items: Vec<String>,
    hosts: Vec<String>,
}

/// The `org.kde.StatusNotifierWatcher` object: keeps the list, says a host is there.
struct Watcher {
    registry: Arc<Mutex<Registry>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The item's address from what it registered with: ayatana sends its object path (the bus name
/// is then the caller), other implementations send a bus name (the path is then the default).
fn item_address(service: &str, sender: &str) -> String {
    if service.starts_with('/') {
        format!("{sender}{service}")
    } else {
        format!("{service}{DEFAULT_ITEM_PATH}")
    }
}

#[interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    async fn register_status_notifier_item(
        &self,
        service: &str,
        #[zbus(header)] header: Header<'_>,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> zbus::fdo::Result<()> {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        let item = item_address(service, &sender);
        {
            let mut registry = lock(&self.registry);
            if !registry.items.contains(&item) {
                registry.items.push(item.clone());
            }
        }
        Self::status_notifier_item_registered(&emitter, &item).await?;
        Ok(())
    }

    async fn register_status_notifier_host(
        &self,
        service: &str,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> zbus::fdo::Result<()> {
        lock(&self.registry).hosts.push(service.to_owned());
        Self::status_notifier_host_registered(&emitter).await?;
        Ok(())
    }

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        lock(&self.registry).items.clone()
    }

    /// This watcher is itself the host that shows the items.
    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(signal)]
    async fn status_notifier_item_registered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn status_notifier_item_unregistered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn status_notifier_host_registered(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;
}

/// One signal an item sent (`NewIcon`, `XAyatanaNewLabel`, …) with its arguments as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSignal {
    pub member: String,
    pub args: Vec<String>,
}

/// The watcher on the session bus and what the items told it. Dropping it leaves the bus (the
/// name goes with the connection).
pub struct TrayHost {
    bus: Connection,
    registry: Arc<Mutex<Registry>>,
    signals: Arc<Mutex<Vec<ItemSignal>>>,
    recorder: tokio::task::JoinHandle<()>,
}

impl TrayHost {
    /// Takes the watcher's name on the session bus (fails if another watcher holds it) and starts
    /// recording every signal of the StatusNotifierItem interface.
    pub async fn start() -> E2eResult<Self> {
        let registry = Arc::new(Mutex::new(Registry::default()));
        let bus = zbus::connection::Builder::session()
            .serve_at(
                WATCHER_PATH,
                Watcher {
                    registry: registry.clone(),
                },
            )
            .name(WATCHER_NAME)
            .build()
            .await
            .map_err(|e| {
                fail(format!(
                    "cannot own {WATCHER_NAME} on the session bus ({e}); run inside \
                     scripts/desktop-session.sh"
                ))
            })?;
        let rule = MatchRule::builder()
            .msg_type(MessageType::Signal)
            .interface(ITEM_INTERFACE)
            .build()?;
        let mut stream = MessageStream::for_match_rule(rule, &bus, None).await?;
        let signals = Arc::new(Mutex::new(Vec::new()));
        let sink = signals.clone();
        let recorder = tokio::spawn(async move {
            while let Some(Ok(message)) = stream.next().await {
                let header = message.header();
                let member = header.member().map(|m| m.to_string()).unwrap_or_default();
                // The item's change signals carry strings or nothing.
                let body = message.body();
                let args = body
                    .deserialize::<(String, String)>()
                    .map(|(a, b)| vec![a, b])
                    .or_else(|_| body.deserialize::<(String,)>().map(|(a,)| vec![a]))
                    .unwrap_or_default();
                lock(&sink).push(ItemSignal { member, args });
            }
        });
        Ok(Self {
            bus,
            registry,
            signals,
            recorder,
        })
    }

    /// The items registered so far (`bus-name/path`).
    pub fn items(&self) -> Vec<String> {
        lock(&self.registry).items.clone()
    }

    /// Waits (at most [`STEP`]) for the first item to register and returns it.
    pub async fn item(&self) -> E2eResult<TrayItem> {
        let address = poll("a tray item to register with the watcher", STEP, || async {
            Ok(self.items().into_iter().next())
        })
        .await?;
        let slash = address
            .find('/')
            .ok_or_else(|| fail(format!("item address without a path: {address}")))?;
        Ok(TrayItem {
            bus: self.bus.clone(),
            service: address[..slash].to_owned(),
            path: address[slash..].to_owned(),
        })
    }

    /// The item signals received so far, oldest first.
    pub fn signals(&self) -> Vec<ItemSignal> {
        lock(&self.signals).clone()
    }

    /// How many signals named `member` were received so far.
    pub fn signal_count(&self, member: &str) -> usize {
        lock(&self.signals)
            .iter()
            .filter(|s| s.member == member)
            .count()
    }

    /// Waits (at most [`STEP`]) until more than `before` signals named `member` were received.
    pub async fn signal_after(&self, member: &str, before: usize) -> E2eResult<()> {
        poll(&format!("the tray item to send {member}"), STEP, || async {
            Ok((self.signal_count(member) > before).then_some(()))
        })
        .await
    }
}

impl Drop for TrayHost {
    fn drop(&mut self) {
        self.recorder.abort();
    }
}

/// The properties of an item, as a panel reads them.
#[derive(Debug, Clone, Default)]
pub struct ItemProperties {
    pub all: HashMap<String, OwnedValue>,
}

impl ItemProperties {
    /// A string property (`Id`, `Title`, `Status`, `IconName`, `IconThemePath`, `XAyatanaLabel`…);
    /// `None` when the item does not have it or it is not a string.
    pub fn string(&self, name: &str) -> Option<String> {
        match self.all.get(name).map(|v| &**v) {
            Some(Value::Str(s)) => Some(s.to_string()),
            Some(Value::ObjectPath(p)) => Some(p.to_string()),
            _ => None,
        }
    }

    /// The names of all the properties, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.all.keys().cloned().collect();
        names.sort();
        names
    }
}

/// One entry of the item's menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuEntry {
    pub id: i32,
    /// The label without GTK's mnemonic underscores (`_Quit` → `Quit`).
    pub label: String,
    /// `standard` or `separator`.
    pub kind: String,
    pub enabled: bool,
    pub visible: bool,
}

/// A registered item: its bus name and object path.
#[derive(Debug, Clone)]
pub struct TrayItem {
    bus: Connection,
    pub service: String,
    pub path: String,
}

impl TrayItem {
    /// Every property of the StatusNotifierItem interface (`GetAll`, read fresh each time).
    pub async fn properties(&self) -> E2eResult<ItemProperties> {
        let reply = self
            .bus
            .call_method(
                Some(self.service.as_str()),
                self.path.as_str(),
                Some("org.freedesktop.DBus.Properties"),
                "GetAll",
                &(ITEM_INTERFACE,),
            )
            .await
            .map_err(|e| fail(format!("reading the tray item's properties: {e}")))?;
        let all: HashMap<String, OwnedValue> = reply.body().deserialize()?;
        Ok(ItemProperties { all })
    }

    /// Waits (at most [`STEP`]) until the item's properties satisfy `wanted`; returns them. The
    /// error says what was last seen.
    pub async fn properties_where(
        &self,
        what: &str,
        wanted: impl Fn(&ItemProperties) -> bool,
    ) -> E2eResult<ItemProperties> {
        let last = std::cell::RefCell::new(String::new());
        let (last_ref, wanted) = (&last, &wanted);
        poll(&format!("the tray item to {what}"), STEP, || async move {
            let props = self.properties().await?;
            *last_ref.borrow_mut() = format!(
                "label {:?}, icon {:?}, status {:?}",
                props.string("XAyatanaLabel"),
                props.string("IconName"),
                props.string("Status")
            );
            Ok(wanted(&props).then_some(props))
        })
        .await
        .map_err(|e| fail(format!("{e}; last seen: {}", last.borrow())))
    }

    /// The item's object as it introspects (the interfaces and what they declare).
    pub async fn introspect(&self) -> E2eResult<String> {
        let reply = self
            .bus
            .call_method(
                Some(self.service.as_str()),
                self.path.as_str(),
                Some("org.freedesktop.DBus.Introspectable"),
                "Introspect",
                &(),
            )
            .await?;
        Ok(reply.body().deserialize()?)
    }

    /// The menu's object path (the `Menu` property).
    pub async fn menu_path(&self) -> E2eResult<String> {
        self.properties()
            .await?
            .string("Menu")
            .ok_or_else(|| fail("the tray item has no Menu property"))
    }

    /// The menu's entries in order (`GetLayout` of the whole tree, flattened).
    pub async fn menu(&self) -> E2eResult<Vec<MenuEntry>> {
        let path = self.menu_path().await?;
        // Menus may fill themselves when about to be shown, as a panel asks before opening one.
        let _ = self
            .bus
            .call_method(
                Some(self.service.as_str()),
                path.as_str(),
                Some(MENU_INTERFACE),
                "AboutToShow",
                &(0i32,),
            )
            .await;
        let reply = self
            .bus
            .call_method(
                Some(self.service.as_str()),
                path.as_str(),
                Some(MENU_INTERFACE),
                "GetLayout",
                &(0i32, -1i32, Vec::<String>::new()),
            )
            .await
            .map_err(|e| fail(format!("GetLayout on the tray menu: {e}")))?;
        type Node = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);
        let (_revision, (id, props, children)): (u32, Node) = reply.body().deserialize()?;
        let mut entries = Vec::new();
        let children: Vec<&Value<'_>> = children.iter().map(|c| &**c).collect();
        flatten_layout(id, &props, &children, &mut entries)?;
        // The root itself is not an entry.
        entries.retain(|e| e.id != 0);
        Ok(entries)
    }

    /// The menu entry labelled `label` (mnemonics ignored).
    pub async fn menu_entry(&self, label: &str) -> E2eResult<MenuEntry> {
        let entries = self.menu().await?;
        entries
            .iter()
            .find(|e| e.label == label)
            .cloned()
            .ok_or_else(|| {
                let labels: Vec<&str> = entries.iter().map(|e| e.label.as_str()).collect();
                fail(format!(
                    "no tray menu entry {label:?}; the menu has {labels:?}"
                ))
            })
    }

    /// Clicks the menu entry labelled `label`, as a panel does (`Event(id, "clicked", …)`).
    pub async fn click(&self, label: &str) -> E2eResult<()> {
        let entry = self.menu_entry(label).await?;
        if !entry.enabled || !entry.visible {
            return Err(fail(format!(
                "the tray menu entry {label:?} cannot be clicked: {entry:?}"
            )));
        }
        let path = self.menu_path().await?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as u32)
            .unwrap_or(0);
        self.bus
            .call_method(
                Some(self.service.as_str()),
                path.as_str(),
                Some(MENU_INTERFACE),
                "Event",
                &(entry.id, "clicked", Value::I32(0), now),
            )
            .await
            .map_err(|e| fail(format!("clicking {label:?} in the tray menu: {e}")))?;
        Ok(())
    }
}

/// Adds one `(ia{sv}av)` node of a dbusmenu layout and its children to `out` (depth first, in
/// menu order).
fn flatten_layout(
    id: i32,
    props: &HashMap<String, OwnedValue>,
    children: &[&Value<'_>],
    out: &mut Vec<MenuEntry>,
) -> E2eResult<()> {
    let text = |name: &str| match props.get(name).map(|v| &**v) {
        Some(Value::Str(s)) => Some(s.to_string()),
        _ => None,
    };
    let flag = |name: &str| match props.get(name).map(|v| &**v) {
        Some(Value::Bool(b)) => *b,
        _ => true, // dbusmenu's default for enabled and visible
    };
    out.push(MenuEntry {
        id,
        label: text("label").unwrap_or_default().replace('_', ""),
        kind: text("type").unwrap_or_else(|| "standard".to_owned()),
        enabled: flag("enabled"),
        visible: flag("visible"),
    });
    for child in children {
        let node = match child {
            Value::Variant(inner) => &**inner,
            other => other,
        };
        let Value::Structure(node) = node else {
            return Err(fail(format!("a dbusmenu child that is not a node: {node}")));
        };
        let [
            Value::I32(id),
            Value::Dict(props),
            Value::Array(grandchildren),
        ] = node.fields()
        else {
            return Err(fail(format!("a dbusmenu node of an unknown shape: {node}")));
        };
        let props: HashMap<String, OwnedValue> = HashMap::try_from(props.try_clone()?)?;
        let grandchildren: Vec<&Value<'_>> = grandchildren.iter().collect();
        flatten_layout(*id, &props, &grandchildren, out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_registered_by_path_lives_at_its_sender() {
        assert_eq!(
            item_address("/org/ayatana/NotificationItem/x", ":1.42"),
            ":1.42/org/ayatana/NotificationItem/x"
        );
        assert_eq!(
            item_address("org.example.Tray", ":1.42"),
            "org.example.Tray/StatusNotifierItem"
        );
    }
}
