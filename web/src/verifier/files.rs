//! Reading the visitor's files. Each file gets its chip ("reading…") the moment it is
//! dropped or chosen, in that order; its bytes arrive later, so a small file read first
//! never gets a verdict of its own while a larger one is still being read. A large file
//! is not read here at all: the model keeps the browser's handle, and the worker reads
//! its head to label it and streams it in slices to verify it.

use std::rc::Weak;

use web_sys::File;

use super::model::Origin;
use super::payload::{Payload, READ_AT_ONCE_MAX};
use super::widget::{Inner, Widget};

/// Read `files` into the model, keeping their order.
pub fn read_all(widget: &Widget, files: Vec<File>) {
    let ids: Vec<(u32, File)> =
        widget.update(|m| files.into_iter().map(|file| (m.add_reading(file.name(), Origin::Visitor), file)).collect());
    for (id, file) in ids {
        if file.size() > READ_AT_ONCE_MAX {
            widget.update(|m| m.read(id, Payload::Blob(file)));
            continue;
        }
        let weak: Weak<Inner> = widget.weak();
        wasm_bindgen_futures::spawn_local(async move {
            let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
            let Some(widget) = Widget::upgrade(&weak) else { return };
            match buffer {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    widget.update(|m| m.read(id, bytes));
                }
                Err(_) => widget.update(|m| m.unreadable(id, "the browser could not read this file".into())),
            }
        });
    }
}

/// The files of a `FileList`, in order.
pub fn file_list(list: Option<web_sys::FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}
