// A few DOM helpers shared by the views. el('div', {class: 'x'}, [children]).
(function (root) {
  'use strict';
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'text') node.textContent = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of [].concat(children || [])) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }
  function replace(node, children) {
    node.replaceChildren(...[].concat(children).filter((c) => c !== null && c !== undefined && c !== false));
  }
  // Only to read the query: ?store=demo&lang=nl.
  function param(name) {
    return new URLSearchParams(location.search).get(name);
  }
  root.StoreqDom = { el, replace, param };
})(self);
