//! The trust-center page: mounts [`trust_center::app::App`] with the built-in content.

fn main() {
    let content = trust_center::content::Content::demo();
    leptos::mount::mount_to_body(move || leptos::view! { <trust_center::app::App content=content /> });
}
