import streamlit as st

from ui import state

st.title("1_vue_ensemble")
st.write(state.selection().filters)
