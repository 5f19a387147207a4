//! A few DOM helpers for the widget, which is written against `web-sys` directly: a
//! framework would cost the embed bundle more than its whole 200 KB budget leaves.
//! Text always goes in as text nodes, never as HTML, so no file content can inject markup.

use wasm_bindgen::JsValue;
use web_sys::{Document, Element, Node};

/// DOM calls fail only on invalid names or detached documents; they surface as this.
pub type Js<T> = Result<T, JsValue>;

/// Builds elements in one document.
#[derive(Clone)]
pub struct Dom {
    doc: Document,
}

impl Dom {
    /// The document of `node`.
    pub fn of(node: &Node) -> Option<Self> {
        node.owner_document().map(|doc| Dom { doc })
    }

    /// `<tag attr="value" …>`.
    pub fn el(&self, tag: &str, attrs: &[(&str, &str)]) -> Js<Element> {
        let e = self.doc.create_element(tag)?;
        for (name, value) in attrs {
            e.set_attribute(name, value)?;
        }
        Ok(e)
    }

    /// `<tag attr="value" …>text</tag>`.
    pub fn text(&self, tag: &str, attrs: &[(&str, &str)], text: &str) -> Js<Element> {
        let e = self.el(tag, attrs)?;
        e.set_text_content(Some(text));
        Ok(e)
    }

    /// A text node.
    pub fn t(&self, text: &str) -> Node {
        self.doc.create_text_node(text).into()
    }
}

/// Append each child (element or text node) in order.
pub fn append(parent: &Element, children: &[&dyn AsRef<Node>]) -> Js<()> {
    for child in children {
        parent.append_child(child.as_ref())?;
    }
    Ok(())
}

/// Replace every child of `parent`.
pub fn replace(parent: &Element, children: &[&dyn AsRef<Node>]) -> Js<()> {
    parent.set_text_content(None);
    append(parent, children)
}
