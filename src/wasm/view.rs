//! [`JsonView`] over live JavaScript values: the input is walked in place with `Reflect`, never
//! copied or deserialised. Every JS call that can throw (getters, proxies) is made with `catch`,
//! and a throw reads as "not there".

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use crate::json::{JsonView, Kind};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(o: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(o: &JsValue) -> Result<bool, JsValue>;
}

impl JsonView for JsValue {
    fn kind(&self) -> Kind {
        if self.is_null() || self.is_undefined() {
            Kind::Null
        } else if self.as_bool().is_some() {
            Kind::Bool
        } else if self.as_f64().is_some() {
            Kind::Number
        } else if self.is_string() {
            Kind::String
        } else if self.is_function() {
            Kind::Function
        } else if self.is_object() {
            if is_array(self).unwrap_or(false) {
                Kind::Array
            } else {
                Kind::Object
            }
        } else {
            Kind::Other
        }
    }

    fn string(&self) -> Option<String> {
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn get(&self, key: &str) -> Option<Self> {
        if !(self.is_object() || self.is_function()) {
            return None;
        }
        Reflect::get(self, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined())
    }

    fn keys(&self) -> Vec<String> {
        if !self.is_object() {
            return Vec::new();
        }
        object_keys(self).map(|keys| keys.iter().filter_map(|k| k.as_string()).collect()).unwrap_or_default()
    }

    fn len(&self) -> usize {
        if self.kind() != Kind::Array {
            return 0;
        }
        self.get("length")
            .and_then(|l| l.as_f64())
            .filter(|l| l.is_finite() && *l >= 0.0 && *l <= f64::from(u32::MAX))
            .map_or(0, |l| l as usize)
    }

    fn at(&self, index: usize) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        Reflect::get_u32(self, u32::try_from(index).ok()?).ok().filter(|v| !v.is_undefined())
    }
}
